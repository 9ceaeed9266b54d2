// The table: one function per section, from its figures to rows with ratios and verdicts. A row is
// `row(measure, figure, spread, ...parts)`, the parts saying only what differs from the defaults
// (report.mjs's `rowsOf`); a section's formatters give its figure and spread as a pair.
import { CLIENT_BUDGET_GZIP } from "@meeting-control/testkit/size";
import {
  atLeast,
  atMost,
  BASELINE,
  goal,
  int,
  notMeasured,
  num,
  rowsOf,
  times,
  vs,
} from "./report.mjs";
import { proxyRows } from "./rows-proxy.mjs";

/** @typedef {import("./report.mjs").Row} Row */
/** @typedef {[figure: string, spread: string]} Shown */

/**
 * The targets from the issues; the bundle's is the budget the client's size test holds. §1's hold
 * on the first Node of the matrix, with the stub as the global fetch (rows-node.mjs).
 */
export const TARGETS = {
  perCallOverOpenapiFetch: 1.2,
  perCallOverLikeForLike: 1.05,
  /** How far apart two runs of §1 on the same commit may put ours ÷ a baseline. */
  perCallRunsApart: 0.1,
  roundTripP50: 1.05,
  bundleGzipBytes: CLIENT_BUDGET_GZIP,
  /** The performance issue's goal for the same bundle, beyond the budget the size test holds. */
  bundleGoalGzipBytes: 5000,
  smallerThanCore: 10,
  /** Turbo's own time: the wall time is mostly npx and pnpm starting, which no cache removes. */
  warmOverCold: 0.1,
  tokenRequests: 100,
  mockFirst200Ms: 800,
  mockOverPrism: 1.2,
  simulateOverContract: 0.9,
};
const T = TARGETS;

/** @param {Awaited<ReturnType<typeof import("./size.mjs").bundleSize>>} r @param {string} title */
function bundleRows(r, title) {
  const row = rowsOf(`${title} (${r.platform})`);
  const { ours, openapiFetch, axios, huaweiCore } = r.bytes;
  /** @param {{ min: number, gzip: number }} x @returns {Shown} */
  const gz = (x) => [`${int(x.gzip)} B`, `${int(x.min)} B min`];
  const bare = (/** @type {{ gzip: number }} */ x) =>
    vs("openapi-fetch", x.gzip / openapiFetch.gzip);
  const budget = atMost(ours.gzip, T.bundleGzipBytes, `${int(T.bundleGzipBytes)} B`);
  const smaller = huaweiCore.gzip / ours.gzip;
  const tenfold = atLeast(smaller, T.smallerThanCore);
  const less = `${int(huaweiCore.gzip - ours.gzip)} B less`;
  const core = "official `@huaweicloud/huaweicloud-sdk-core`";
  return [
    row("bare openapi-fetch, min+gz (baseline)", ...gz(openapiFetch), BASELINE),
    row("ours: client ESM entry, min+gz", ...gz(ours), bare(ours), budget),
    row(
      "ours against the performance goal",
      `${int(ours.gzip)} B`,
      `${int(ours.gzip - T.bundleGoalGzipBytes)} B over`,
      atMost(ours.gzip, T.bundleGoalGzipBytes, `${int(T.bundleGoalGzipBytes)} B`),
    ),
    row("axios, min+gz", ...gz(axios), bare(axios)),
    row(`${core}, min+gz`, ...gz(huaweiCore), bare(huaweiCore)),
    row("official core ÷ ours (how many times smaller)", times(smaller), less, tenfold),
  ];
}

/** @param {Awaited<ReturnType<typeof import("./mock.mjs").mock>>} r @param {string} title */
function mockRows(r, title) {
  const row = rowsOf(title);
  const { startup: s, throughput: t } = r;
  /** @param {{ median: number, min: number, max: number }} x @returns {Shown} */
  const first200 = (x) => [`${int(x.median)} ms`, `${int(x.min)}–${int(x.max)} ms`];
  /** @param {typeof t.ours} x @param {string} [paired] @returns {Shown} */
  const rps = (x, paired = "") => [
    `${int(x.requestsPerSecond)} req/s`,
    `per round: ${x.perRound.map(int).join(", ")}; ${paired}${int(x.failures)} failed${x.firstFailure ? ` (first: ${x.firstFailure})` : ""}`,
  ];
  /** @param {typeof t.ours} x @returns {Shown} */
  const p50 = (x) => [`${num(x.p50Ms, 1)} ms`, `p99 ${num(x.p99Ms, 1)} ms`];
  const spawn = `spawn to the first 200 (median of ${s.starts}`;
  const load = `median of ${t.rounds} rounds of ${int(t.requestsPerRound)} at concurrency ${t.concurrency}`;
  const paired = `paired ratios ${t.ratios.map((x) => num(x, 2)).join(", ")}; `;
  const quick = [
    vs("prism", s.ours.median / s.prism.median),
    atMost(s.ours.median, T.mockFirst200Ms, `${int(T.mockFirst200Ms)} ms`),
  ];
  const faster = [
    vs("prism", t.ratioMedian),
    goal(
      `≥ ${times(T.mockOverPrism)}, no failures`,
      t.ratioMedian >= T.mockOverPrism && t.ours.failures === 0,
    ),
  ];
  const simulating = [
    vs("contract mode", t.simulateRatioMedian),
    atLeast(t.simulateRatioMedian, T.simulateOverContract),
  ];
  const latency = vs("prism p50", t.ours.p50Ms / t.prism.p50Ms);
  return [
    row(`raw \`prism mock\`: ${spawn}, baseline)`, ...first200(s.prism), BASELINE),
    row(`ours: ${spawn})`, ...first200(s.ours), ...quick),
    row(`raw \`prism mock\`: throughput, ${load} (baseline)`, ...rps(t.prism), BASELINE),
    row(
      `ours: throughput, ${load} (ratio: median of the paired rounds)`,
      ...rps(t.ours, paired),
      ...faster,
    ),
    row("raw `prism mock`: latency p50 under that load (baseline)", ...p50(t.prism), BASELINE),
    row("ours: latency p50 under that load", ...p50(t.ours), latency),
    row(
      "ours in simulate mode (one meeting, a live token): throughput, same rounds (ratio: ÷ contract mode, paired)",
      ...rps(t.simulate, `paired ratios ${t.simulateRatios.map((x) => num(x, 2)).join(", ")}; `),
      ...simulating,
    ),
  ];
}

/** @param {Awaited<ReturnType<typeof import("./pipeline.mjs").pipeline>>} r @param {string} title */
function pipelineRows(r, title) {
  if (!r.measured || !r.warm || r.turboWarmOverCold === null) {
    return [notMeasured(title, "cold vs warm `turbo run build`", r.reason ?? "failed")];
  }
  const row = rowsOf(title);
  const { cold, warm } = r;
  const sec = (/** @type {number | null} */ ms) =>
    ms === null ? "n/a" : ms < 1000 ? `${int(ms)} ms` : `${num(ms / 1000, 1)} s`;
  const own = (/** @type {typeof cold} */ x) => `turbo's own: ${sec(x.turboMs)}`;
  const coldCache = `${own(cold)}; ${cold.tasks} tasks, ${cold.cached} cached`;
  const warmCache = `${own(warm)}; ${warm.cached}/${warm.tasks} cached${warm.fullTurbo ? ", FULL TURBO" : ""}`;
  const turboOnly = "without npx, pnpm and turbo start-up";
  const within = [
    vs("cold", r.turboWarmOverCold),
    atMost(r.turboWarmOverCold, T.warmOverCold, times(T.warmOverCold)),
  ];
  return [
    row("cold `turbo run build --force` (baseline)", sec(cold.wallMs), coldCache, BASELINE),
    row(
      "warm `turbo run build` (wall, npx + pnpm start-up included)",
      sec(warm.wallMs),
      warmCache,
      vs("cold", r.warmOverCold),
    ),
    row("warm ÷ cold, turbo's own time", times(r.turboWarmOverCold), turboOnly, ...within),
  ];
}

/** @param {Awaited<ReturnType<typeof import("./scale.mjs").scale>>} r @param {string} title */
function scaleRows(r, title) {
  const row = rowsOf(title);
  const { ours, fetch } = r;
  const ms = (/** @type {number} */ x) => `${int(x)} ms`;
  const calls = `${int(r.calls)} concurrent`;
  const burst = `ours: ${calls} \`inviteCamera\`, ${r.conferences} conferences, hostPassword, wall`;
  const runs = `median of ${r.runs} runs`;
  const failed = ours.failures ? `; ${int(ours.failures)} calls failed: ${ours.firstFailure}` : "";
  const tokens = ours.tokenRequests;
  const made = int(tokens[tokens.length - 1] ?? Number.NaN);
  const stale = `per run: ${tokens.join(", ")}; ${int(ours.staleTokens)} PUTs with a stale token`;
  const tokensOk = tokens.every((n) => n === T.tokenRequests) && ours.failures === 0;
  /** @param {typeof ours} x @param {string} [more] @returns {Shown} */
  const heap = (x, more = "") => [
    `${int(x.heapRetainedKB)} KB`,
    `${int(x.heapHeldKB)} KB while held${more}`,
  ];
  const more = `; ${int(ours.heapRetainedKB - fetch.heapRetainedKB)} KB more than fetch`;
  const heapVs = vs(
    "fetch",
    fetch.heapRetainedKB > 0 ? ours.heapRetainedKB / fetch.heapRetainedKB : null,
  );
  return [
    row(`${calls} plain \`fetch\` PUTs, wall (baseline)`, ms(fetch.wallMs), runs, BASELINE),
    row(burst, ms(ours.wallMs), `${runs}${failed}`, vs("fetch", ours.wallMs / fetch.wallMs)),
    row(
      "ours: `CreateConfToken` requests made",
      made,
      stale,
      goal(`= ${T.tokenRequests}`, tokensOk),
    ),
    row("plain `fetch`: heap retained after the burst (baseline)", ...heap(fetch), BASELINE),
    row("ours: heap retained after dropping the client", ...heap(ours, more), heapVs),
  ];
}

/** The rows of each section that runs once, by its key in run.mjs. @type {Record<string, (r: any, title: string) => Row[]>} */
export const ROWS = {
  bundleSize: bundleRows,
  mock: mockRows,
  pipeline: pipelineRows,
  scale: scaleRows,
  proxy: proxyRows,
};
