// A load generator for a server of the meeting-control API (the mock, or raw Prism): valid control
// requests over loopback. The mock's `load` script, its load test and bench/ measure with it.
// Plain JavaScript: the script and the bench run it under Node.
//
// node:http with a keep-alive Agent, not fetch: fetch with an AbortSignal per request costs about
// as much CPU as the server it loads, so the figure measured the client.
import { Agent, request } from "node:http";

/** The meeting and participant every request names (a simulating mock must have them). */
export const LOAD_IDS = {
  conferenceID: "986947855",
  participantID: "4a5rg64ag5p8pvvnam1rr6m8lqra6a61",
};
const QUERY = new URLSearchParams(LOAD_IDS).toString();
/** The token sent by default: any value does for a contract mock. */
const ANY_TOKEN = "Basic Y25yYjQy";
/** The two requests, with `authorization` as the token. @param {string} authorization */
const requestsWith = (authorization) =>
  [
    ["/v1/mmc/control/conferences/participants/video", '{"status":0}'],
    ["/v1/mmc/control/conferences/participants/share/invite", '{"share":1}'],
  ].map(([path, body]) => ({
    path: `${path}?${QUERY}`,
    body,
    headers: {
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(String(body))),
      "x-conference-authorization": authorization,
    },
  }));
const REQUESTS = requestsWith(ANY_TOKEN);

/**
 * @typedef {object} SendOptions
 * @property {import("node:http").Agent | false} [agent] false (the default): a fresh connection,
 *   closed after the answer
 * @property {number} [timeoutMs] how long the socket may stay idle while waiting
 * @property {string} [authorization] the X-Conference-Authorization to send (a simulating mock
 *   wants a token it issued)
 */

/** @param {string} base */
const target = (base) => {
  const url = new URL(base);
  return { hostname: url.hostname.replace(/^\[|\]$/g, ""), port: Number(url.port || 80) };
};

/**
 * One request; resolves to its status, or to the error's code when there was no answer.
 * @param {{ hostname: string, port: number }} to @param {number} i
 * @param {{ agent: import("node:http").Agent | false, timeoutMs: number }} options
 * @param {typeof REQUESTS} requests
 * @returns {Promise<number | string>}
 */
function send(to, i, { agent, timeoutMs }, requests = REQUESTS) {
  const { path, body, headers } = /** @type {(typeof REQUESTS)[number]} */ (requests[i % 2]);
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
export async function sendValid(
  base,
  i,
  { agent = false, timeoutMs = 10_000, authorization } = {},
) {
  const requests = authorization ? requestsWith(authorization) : REQUESTS;
  const status = await send(target(base), i, { agent, timeoutMs }, requests);
  return typeof status === "number" ? status : 0;
}

/**
 * Sends `total` valid requests to `base` with `concurrency` in flight, over at most `concurrency`
 * keep-alive connections (opened by the run, closed at its end).
 * @param {string} base
 * @param {{ total: number, concurrency: number, timeoutMs?: number, authorization?: string }} options
 * @returns {Promise<{ seconds: number, latencies: number[], failures: number, firstFailure: string | null }>}
 */
export async function runLoad(base, { total, concurrency, timeoutMs = 10_000, authorization }) {
  const to = target(base);
  const requests = authorization ? requestsWith(authorization) : REQUESTS;
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
          const status = await send(to, i, { agent, timeoutMs }, requests);
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
