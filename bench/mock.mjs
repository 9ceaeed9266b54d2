// §4 The mock against raw `prism mock` on the same bundled spec, in one run, and the mock in
// simulate mode beside its contract mode: each is a child process (so the load generator here does
// not share its CPU), timed from spawn to the first 200, then loaded in alternating rounds with the
// keep-alive generator of @meeting-control/testkit/load.
import { runLoad } from "@meeting-control/testkit/load";
import { stop } from "./children.mjs";
import { POLL_MS, start } from "./mock-start.mjs";
import { versionOf } from "./packages.mjs";
import { log, round, spread, summarize } from "./stats.mjs";

const STARTS = 5;
const WARM_UP = 500;
const ROUNDS = 5;
const TOTAL = 3000;
const CONCURRENCY = 50;

/** @typedef {import("./mock-start.mjs").Side} Side */
/** @typedef {import("./mock-start.mjs").Started} Started */

export async function mock() {
  /** @type {Side[]} */
  const sides = ["ours", "prism", "simulate"];
  /** @type {Record<"ours" | "prism", number[]>} */
  const first200 = { ours: [], prism: [] };
  for (let i = 0; i < STARTS; i++) {
    for (const side of /** @type {const} */ (["ours", "prism"])) {
      const server = await start(side);
      await stop(server.child);
      first200[side].push(server.first200Ms);
      log(
        `§4 mock: ${side} start ${i + 1}/${STARTS}: first 200 after ${server.first200Ms.toFixed(0)} ms`,
      );
    }
  }

  /** @type {Partial<Record<Side, Started>>} */
  const up = {};
  /** @type {Record<Side, { rps: number[], latencies: number[], failures: number, firstFailure: string | null, warmUpFailures: number }>} */
  const load = {
    ours: { rps: [], latencies: [], failures: 0, firstFailure: null, warmUpFailures: 0 },
    prism: { rps: [], latencies: [], failures: 0, firstFailure: null, warmUpFailures: 0 },
    simulate: { rps: [], latencies: [], failures: 0, firstFailure: null, warmUpFailures: 0 },
  };
  try {
    for (const side of sides) up[side] = await start(side);
    /** @param {Side} side @param {number} total */
    const loadOn = (side, total) => {
      const server = /** @type {Started} */ (up[side]);
      if (server.child.exitCode !== null || server.child.signalCode !== null)
        throw new Error(`§4 ${side} exited during the load\n${server.output.join("\n")}`);
      const { authorization } = server;
      return runLoad(server.url, { total, concurrency: CONCURRENCY, authorization });
    };
    for (const side of sides) load[side].warmUpFailures = (await loadOn(side, WARM_UP)).failures;
    for (let r = 0; r < ROUNDS; r++) {
      for (const side of sides) {
        const result = await loadOn(side, TOTAL);
        const into = load[side];
        into.rps.push(TOTAL / result.seconds);
        for (const x of result.latencies) into.latencies.push(x);
        into.failures += result.failures;
        into.firstFailure ??= result.firstFailure;
        log(
          `§4 mock: ${side} round ${r + 1}/${ROUNDS}: ${Math.round(TOTAL / result.seconds)} req/s, ${result.failures} failed`,
        );
      }
    }
  } finally {
    await Promise.all(sides.map((side) => up[side] && stop(up[side].child)));
  }

  /** Per round, `a`'s req/s ÷ `b`'s. @param {Side} a @param {Side} b */
  const paired = (a, b) => load[a].rps.map((x, i) => x / /** @type {number} */ (load[b].rps[i]));
  const ratios = paired("ours", "prism");
  const simulateRatios = paired("simulate", "ours");
  const throughput = (/** @type {Side} */ side) => {
    const { rps, latencies, failures, firstFailure, warmUpFailures } = load[side];
    const s = summarize(latencies);
    return {
      requestsPerSecond: Math.round(summarize(rps).median),
      perRound: rps.map((x) => Math.round(x)),
      p50Ms: round(s.median, 2),
      p99Ms: round(s.p99, 2),
      madMs: round(s.mad, 2),
      failures,
      firstFailure,
      warmUpFailures,
    };
  };
  const ratio = summarize(ratios);
  const simulateRatio = summarize(simulateRatios);
  return {
    method: `Two servers on the same bundled spec (@meeting-control/spec/openapi.yaml), each a child process of the bench: ours is \`node <@meeting-control/mock's bin> --port 0\` (found at the URL it prints); raw Prism is \`node <@stoplight/prism-cli's bin prism> mock <spec> --port <free port> --host 127.0.0.1\`, its defaults otherwise (Prism's request log goes to /dev/null). Both run with NODE_ENV unset. Start-up: from spawn to the first 200 of a valid PUT, polled every ${POLL_MS} ms with node:http over a fresh connection (agent: false); ${STARTS} starts each, alternating ours, Prism; each stopped (SIGTERM, SIGKILL after 3 s) before the next. Throughput: both started again and kept up, and ours a third time in simulate mode (\`--meetings\` with the one meeting the load names, a token from its CreateConfToken sent on every request); ${WARM_UP} warm-up requests each, then ${ROUNDS} rounds alternating ours, Prism, ours simulating, each round ${TOTAL} valid PUTs (camera {"status":0} and share {"share":1} alternating) at concurrency ${CONCURRENCY} from @meeting-control/testkit/load (node:http, a keep-alive Agent with maxSockets ${CONCURRENCY}, a socket timeout, responses drained) in the bench process, over loopback. req/s is per round (median reported); p50 and p99 pool every round's latencies; the ratio is ours ÷ Prism req/s of the same round, median over the rounds, and simulate mode's is its req/s ÷ contract mode's of the same round. A failure is a non-2xx answer or an error.`,
    versions: {
      prismCli: versionOf("@stoplight/prism-cli"),
      mock: versionOf("@meeting-control/mock"),
    },
    startup: {
      starts: STARTS,
      ours: spread(first200.ours, 1),
      prism: spread(first200.prism, 1),
    },
    throughput: {
      rounds: ROUNDS,
      requestsPerRound: TOTAL,
      concurrency: CONCURRENCY,
      warmUp: WARM_UP,
      ours: throughput("ours"),
      prism: throughput("prism"),
      ratios: ratios.map((x) => round(x, 3)),
      ratioMedian: round(ratio.median, 3),
      ratioMin: round(ratio.min, 3),
      ratioMax: round(ratio.max, 3),
      simulate: throughput("simulate"),
      simulateRatios: simulateRatios.map((x) => round(x, 3)),
      simulateRatioMedian: round(simulateRatio.median, 3),
    },
  };
}
