// Bounded load on the mock over loopback: 2,000 valid requests at concurrency 20 (LOAD_REQUESTS,
// LOAD_CONCURRENCY). Prints requests/s, p50 and p99; exits non-zero on any non-2xx answer or error.
// `runLoad` is what bench/ measures the mock (and raw Prism) with, too.
//
// node:http with a keep-alive Agent, not fetch: fetch with an AbortSignal per request costs about
// as much CPU as the server it loads, so the figure measured the client.
import { Agent, request } from "node:http";
import { fileURLToPath } from "node:url";

const QUERY = "conferenceID=986947855&participantID=4a5rg64ag5p8pvvnam1rr6m8lqra6a61";
const REQUESTS = [
  ["/v1/mmc/control/conferences/participants/video", '{"status":0}'],
  ["/v1/mmc/control/conferences/participants/share/invite", '{"share":1}'],
].map(([path, body]) => ({
  path: `${path}?${QUERY}`,
  body,
  headers: {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(String(body))),
    "x-conference-authorization": "Basic Y25yYjQy",
  },
}));

/**
 * @typedef {object} SendOptions
 * @property {import("node:http").Agent | false} [agent] false (the default): a fresh connection,
 *   closed after the answer
 * @property {number} [timeoutMs] how long the socket may stay idle while waiting
 */

/** @param {string} base */
const target = (base) => {
  const url = new URL(base);
  return { hostname: url.hostname.replace(/^\[|\]$/g, ""), port: Number(url.port || 80) };
};

/**
 * One request; resolves to its status, or to the error's code when there was no answer.
 * @param {{ hostname: string, port: number }} to @param {number} i @param {Required<SendOptions>} options
 * @returns {Promise<number | string>}
 */
function send(to, i, { agent, timeoutMs }) {
  const { path, body, headers } = /** @type {(typeof REQUESTS)[number]} */ (REQUESTS[i % 2]);
  return new Promise((resolve) => {
    const req = request(
      { ...to, method: "PUT", path, headers, agent, timeout: timeoutMs },
      (res) => {
        res.once("error", (error) => resolve(/** @type {any} */ (error).code ?? "ERROR"));
        res.once("end", () => resolve(res.statusCode ?? 0));
        res.resume();
      },
    );
    req.once("timeout", () =>
      req.destroy(Object.assign(new Error("timeout"), { code: "TIMEOUT" })),
    );
    req.once("error", (error) => resolve(/** @type {any} */ (error).code ?? "ERROR"));
    req.end(body);
  });
}

/**
 * One valid control request (camera and share alternate); resolves to its status, 0 when it got
 * no answer.
 * @param {string} base @param {number} i @param {SendOptions} [options]
 */
export async function sendValid(base, i, { agent = false, timeoutMs = 10_000 } = {}) {
  const status = await send(target(base), i, { agent, timeoutMs });
  return typeof status === "number" ? status : 0;
}

/**
 * Sends `total` valid requests to `base` with `concurrency` in flight, over at most `concurrency`
 * keep-alive connections (opened by the run, closed at its end).
 * @param {string} base @param {{ total: number, concurrency: number, timeoutMs?: number }} options
 * @returns {Promise<{ seconds: number, latencies: number[], failures: number, firstFailure: string | null }>}
 */
export async function runLoad(base, { total, concurrency, timeoutMs = 10_000 }) {
  const to = target(base);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  /** @type {number[]} */
  const latencies = [];
  let failures = 0;
  /** @type {string | null} */
  let firstFailure = null;
  let next = 0;
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) {
          const i = next++;
          const t = performance.now();
          const status = await send(to, i, { agent, timeoutMs });
          latencies.push(performance.now() - t);
          if (typeof status !== "number" || status < 200 || status > 299) {
            failures++;
            firstFailure ??= typeof status === "number" ? `status ${status}` : status;
          }
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  return { seconds: (performance.now() - started) / 1000, latencies, failures, firstFailure };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const total = Number(process.env.LOAD_REQUESTS ?? 2000);
  const concurrency = Number(process.env.LOAD_CONCURRENCY ?? 20);
  // The package by its own name (its exports), so the script follows the entry wherever it is built.
  const { startMockServer } = await import("@meeting-control/mock");
  const server = await startMockServer({ port: 0 });
  let result;
  try {
    result = await runLoad(server.url, { total, concurrency });
  } finally {
    await server.close();
  }
  const sorted = [...result.latencies].sort((a, b) => a - b);
  const pct = (/** @type {number} */ p) =>
    sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
  const summary = {
    requests: sorted.length,
    concurrency,
    failures: result.failures,
    firstFailure: result.firstFailure,
    requestsPerSecond: Math.round(sorted.length / result.seconds),
    p50Ms: Number(pct(50).toFixed(2)),
    p99Ms: Number(pct(99).toFixed(2)),
  };
  console.log(JSON.stringify(summary));
  console.log(
    `${summary.requests} requests at concurrency ${concurrency}: ${summary.requestsPerSecond} req/s, p50 ${summary.p50Ms} ms, p99 ${summary.p99Ms} ms, ${summary.failures} failed${summary.firstFailure ? ` (first: ${summary.firstFailure})` : ""}`,
  );
  process.exitCode = summary.failures ? 1 : 0;
}
