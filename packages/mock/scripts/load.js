// Bounded load on the mock over loopback: 2,000 valid requests at concurrency 20.
// Prints requests/s, p50 and p99; exits non-zero on any non-2xx answer or error.
import { startMockServer } from "../src/index.js";

const TOTAL = Number(process.env.LOAD_REQUESTS ?? 2000);
const CONCURRENCY = Number(process.env.LOAD_CONCURRENCY ?? 20);

const server = await startMockServer({ port: 0 });
const query = "conferenceID=986947855&participantID=4a5rg64ag5p8pvvnam1rr6m8lqra6a61";
const requests = [
  ["/v1/mmc/control/conferences/participants/video", '{"status":0}'],
  ["/v1/mmc/control/conferences/participants/share/invite", '{"share":1}'],
];
/** @type {number[]} */
const latencies = [];
let failures = 0;
let next = 0;
const started = performance.now();
try {
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < TOTAL) {
        const [path, body] = requests[next++ % 2] ?? [];
        const t = performance.now();
        try {
          const response = await fetch(`${server.url}${path}?${query}`, {
            method: "PUT",
            headers: {
              "content-type": "application/json",
              "x-conference-authorization": "Basic Y25yYjQy",
            },
            body,
            signal: AbortSignal.timeout(10_000),
          });
          await response.arrayBuffer();
          if (!response.ok) failures++;
        } catch {
          failures++;
        }
        latencies.push(performance.now() - t);
      }
    }),
  );
} finally {
  await server.close();
}
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const pct = (/** @type {number} */ p) =>
  latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? Number.NaN;
const result = {
  requests: latencies.length,
  concurrency: CONCURRENCY,
  failures,
  requestsPerSecond: Math.round(latencies.length / seconds),
  p50Ms: Number(pct(50).toFixed(2)),
  p99Ms: Number(pct(99).toFixed(2)),
};
console.log(JSON.stringify(result));
console.log(
  `${result.requests} requests at concurrency ${CONCURRENCY}: ${result.requestsPerSecond} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, ${failures} failed`,
);
process.exitCode = failures ? 1 : 0;
