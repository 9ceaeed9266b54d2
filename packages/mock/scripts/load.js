// `pnpm --filter @meeting-control/mock load`: bounded load on the mock over loopback, 2,000 valid
// requests at concurrency 20 (LOAD_REQUESTS, LOAD_CONCURRENCY). Prints requests/s, p50 and p99;
// exits non-zero on any non-2xx answer or error. The generator is testkit's, which bench/ uses too.
import { runLoad } from "@meeting-control/testkit/load";

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
