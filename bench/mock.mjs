// §4 The mock: start-up time to the first 200, then a bounded load at fixed concurrency, with
// the mock's own load script.
import { startMockServer } from "@meeting-control/mock";
import { runLoad, sendValid } from "../packages/mock/scripts/load.js";
import { log, round, summarize } from "./stats.mjs";

const STARTS = 3;
const TOTAL = 2000;
const CONCURRENCY = 20;
const WARM_UP = 100;
/** Starts the mock and times it until a valid request answers 200. */
async function startOnce() {
  const started = performance.now();
  const server = await startMockServer({ port: 0 });
  const resolved = performance.now() - started;
  let attempts = 0;
  while ((await sendValid(server.url, attempts++)) !== 200) {
    if (performance.now() - started > 30_000) {
      await server.close();
      throw new Error("the mock did not answer 200 within 30 s");
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return { server, resolvedMs: resolved, first200Ms: performance.now() - started, attempts };
}

/** @param {string} base @param {number} total */
const load = (base, total) => runLoad(base, { total, concurrency: CONCURRENCY });

export async function mock() {
  const starts = [];
  let last;
  for (let i = 0; i < STARTS; i++) {
    const start = await startOnce();
    starts.push(start);
    log(`§4 mock: start ${i + 1}/${STARTS}: first 200 after ${start.first200Ms.toFixed(0)} ms`);
    if (i < STARTS - 1) await start.server.close();
    else last = start.server;
  }
  const server = /** @type {{ url: string, close(): Promise<void> }} */ (last);
  try {
    await load(server.url, WARM_UP);
    const { seconds, latencies, failures } = await load(server.url, TOTAL);
    const s = summarize(latencies);
    const first200 = summarize(starts.map((s) => s.first200Ms));
    log(`§4 mock: ${TOTAL} requests in ${seconds.toFixed(2)} s`);
    return {
      method: `startMockServer({ port: 0 }) until a valid PUT answers 200, ${STARTS} starts; then ${WARM_UP} warm-up requests and ${TOTAL} valid PUTs (camera and share alternating) at concurrency ${CONCURRENCY}, over loopback`,
      startup: {
        starts: STARTS,
        first200MedianMs: round(first200.median, 1),
        first200MinMs: round(first200.min, 1),
        first200MaxMs: round(first200.max, 1),
        resolvedMedianMs: round(summarize(starts.map((s) => s.resolvedMs)).median, 1),
      },
      load: {
        requests: s.samples,
        concurrency: CONCURRENCY,
        failures,
        requestsPerSecond: Math.round(s.samples / seconds),
        p50Ms: round(s.median, 2),
        p99Ms: round(s.p99, 2),
        madMs: round(s.mad, 2),
      },
    };
  } finally {
    await server.close();
  }
}
