// Bounded load on the mock over loopback: 2,000 valid requests at concurrency 20 (LOAD_REQUESTS,
// LOAD_CONCURRENCY). Prints requests/s, p50 and p99; exits non-zero on any non-2xx answer or error.
// `runLoad` is what bench/ measures the mock with, too.
import { fileURLToPath } from "node:url";
import { startMockServer } from "../src/index.js";

const QUERY = "conferenceID=986947855&participantID=4a5rg64ag5p8pvvnam1rr6m8lqra6a61";
const REQUESTS = [
  ["/v1/mmc/control/conferences/participants/video", '{"status":0}'],
  ["/v1/mmc/control/conferences/participants/share/invite", '{"share":1}'],
];

/**
 * One valid control request (camera and share alternate); resolves to its status, 0 when it
 * could not be sent.
 * @param {string} base @param {number} i
 */
export async function sendValid(base, i) {
  const [path, body] = REQUESTS[i % 2] ?? [];
  try {
    const response = await fetch(`${base}${path}?${QUERY}`, {
      method: "PUT",
      headers: {
        "content-type": "application/json",
        "x-conference-authorization": "Basic Y25yYjQy",
      },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

/**
 * Sends `total` valid requests to `base` with `concurrency` in flight.
 * @param {string} base @param {{ total: number, concurrency: number }} options
 * @returns {Promise<{ seconds: number, latencies: number[], failures: number }>}
 */
export async function runLoad(base, { total, concurrency }) {
  /** @type {number[]} */
  const latencies = [];
  let failures = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t = performance.now();
        const status = await sendValid(base, i);
        latencies.push(performance.now() - t);
        if (status < 200 || status > 299) failures++;
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, latencies, failures };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const total = Number(process.env.LOAD_REQUESTS ?? 2000);
  const concurrency = Number(process.env.LOAD_CONCURRENCY ?? 20);
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
    requestsPerSecond: Math.round(sorted.length / result.seconds),
    p50Ms: Number(pct(50).toFixed(2)),
    p99Ms: Number(pct(99).toFixed(2)),
  };
  console.log(JSON.stringify(summary));
  console.log(
    `${summary.requests} requests at concurrency ${concurrency}: ${summary.requestsPerSecond} req/s, p50 ${summary.p50Ms} ms, p99 ${summary.p99Ms} ms, ${summary.failures} failed`,
  );
  process.exitCode = summary.failures ? 1 : 0;
}
