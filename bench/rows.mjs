// The table: one function per section, from its figures to rows with ratios and verdicts.
import { int, num, times, verdict } from "./report.mjs";

/** @typedef {import("./report.mjs").Row} Row */

/** The targets from the issue. */
export const TARGETS = {
  perCallOverBaseline: 1.4,
  perCallOverOpenapiFetch: 1.1,
  roundTripP50: 1.05,
  bundleGzipBytes: 4096,
  smallerThanCore: 10,
  warmOverCold: 0.1,
  tokenRequests: 100,
  mockFirst200Ms: 800,
  mockOverPrism: 1.2,
};

/** @param {string} section @param {string} measure @param {string} reason @returns {Row} */
export const notMeasured = (section, measure, reason) => ({
  section,
  measure,
  figure: "—",
  spread: reason,
  baseline: "",
  ratio: null,
  target: "—",
  result: "not measured",
});

/** @param {Awaited<ReturnType<typeof import("./per-call.mjs").perCall>>} r @returns {Row[]} */
export function perCallRows(r) {
  const s = "1 per call";
  const { byHand, openapiFetch, ours, axios } = r.nsPerCall;
  /** @param {{ median: number, mad: number }} x */
  const figure = (x) => ({ figure: `${int(x.median)} ns`, spread: `± ${int(x.mad)} ns (MAD)` });
  const base = "hand-built";
  const ratio = (/** @type {{ median: number }} */ x) => x.median / byHand.median;
  const oursOverBare = ours.median / openapiFetch.median;
  return [
    {
      section: s,
      measure: "hand-built `Request` + stub fetch (baseline)",
      ...figure(byHand),
      baseline: "",
      ratio: null,
      target: "—",
      result: "baseline",
    },
    {
      section: s,
      measure: "bare openapi-fetch `PUT`",
      ...figure(openapiFetch),
      baseline: base,
      ratio: ratio(openapiFetch),
      target: "—",
      result: "info",
    },
    {
      section: s,
      measure: "axios `put` (stub adapter)",
      ...figure(axios),
      baseline: base,
      ratio: ratio(axios),
      target: "—",
      result: "info",
    },
    {
      section: s,
      measure: "ours: `client.inviteCamera`",
      ...figure(ours),
      baseline: base,
      ratio: ratio(ours),
      target: `≤ ${times(TARGETS.perCallOverBaseline)}`,
      result: verdict(ratio(ours) <= TARGETS.perCallOverBaseline),
    },
    {
      section: s,
      measure: "ours ÷ bare openapi-fetch",
      figure: times(oursOverBare),
      spread: `${int(ours.median - openapiFetch.median)} ns more per call`,
      baseline: "openapi-fetch",
      ratio: oursOverBare,
      target: `≤ ${times(TARGETS.perCallOverOpenapiFetch)}`,
      result: verdict(oursOverBare <= TARGETS.perCallOverOpenapiFetch),
    },
  ];
}

/** @param {Awaited<ReturnType<typeof import("./round-trip.mjs").roundTrip>>} r @returns {Row[]} */
export function roundTripRows(r) {
  const s = "2 round trip";
  const { fetch, ours } = r.ms;
  const ms = (/** @type {number} */ x) => `${num(x, 3)} ms`;
  const p50 = ours.p50 / fetch.p50;
  return [
    {
      section: s,
      measure: `plain \`fetch\` p50 (baseline), ${int(fetch.requests)} requests`,
      figure: ms(fetch.p50),
      spread: `± ${ms(fetch.mad)} (MAD)`,
      baseline: "",
      ratio: null,
      target: "—",
      result: "baseline",
    },
    {
      section: s,
      measure: `ours p50, ${int(ours.requests)} requests`,
      figure: ms(ours.p50),
      spread: `± ${ms(ours.mad)} (MAD)`,
      baseline: "fetch p50",
      ratio: p50,
      target: `≤ ${times(TARGETS.roundTripP50)}`,
      result: verdict(p50 <= TARGETS.roundTripP50),
    },
    {
      section: s,
      measure: "plain `fetch` p99",
      figure: ms(fetch.p99),
      spread: "",
      baseline: "",
      ratio: null,
      target: "—",
      result: "baseline",
    },
    {
      section: s,
      measure: "ours p99",
      figure: ms(ours.p99),
      spread: "",
      baseline: "fetch p99",
      ratio: ours.p99 / fetch.p99,
      target: "—",
      result: "info",
    },
  ];
}

/** @param {Awaited<ReturnType<typeof import("./size.mjs").bundleSize>>} r @returns {Row[]} */
export function bundleRows(r) {
  const s = `3 bundle (${r.platform})`;
  const { ours, openapiFetch, axios, huaweiCore } = r.bytes;
  /** @param {{ min: number, gzip: number }} x */
  const figure = (x) => ({ figure: `${int(x.gzip)} B`, spread: `${int(x.min)} B min` });
  const ratio = (/** @type {{ gzip: number }} */ x) => x.gzip / openapiFetch.gzip;
  const smaller = huaweiCore.gzip / ours.gzip;
  return [
    {
      section: s,
      measure: "bare openapi-fetch, min+gz (baseline)",
      ...figure(openapiFetch),
      baseline: "",
      ratio: null,
      target: "—",
      result: "baseline",
    },
    {
      section: s,
      measure: "ours: client ESM entry, min+gz",
      ...figure(ours),
      baseline: "openapi-fetch",
      ratio: ratio(ours),
      target: `≤ ${int(TARGETS.bundleGzipBytes)} B`,
      result: verdict(ours.gzip <= TARGETS.bundleGzipBytes),
    },
    {
      section: s,
      measure: "axios, min+gz",
      ...figure(axios),
      baseline: "openapi-fetch",
      ratio: ratio(axios),
      target: "—",
      result: "info",
    },
    {
      section: s,
      measure: "official `@huaweicloud/huaweicloud-sdk-core`, min+gz",
      ...figure(huaweiCore),
      baseline: "openapi-fetch",
      ratio: ratio(huaweiCore),
      target: "—",
      result: "info",
    },
    {
      section: s,
      measure: "official core ÷ ours (how many times smaller)",
      figure: times(smaller),
      spread: `${int(huaweiCore.gzip - ours.gzip)} B less`,
      baseline: "",
      ratio: null,
      target: `≥ ${times(TARGETS.smallerThanCore)}`,
      result: verdict(smaller >= TARGETS.smallerThanCore),
    },
  ];
}

/** @param {Awaited<ReturnType<typeof import("./mock.mjs").mock>>} r @returns {Row[]} */
export function mockRows(r) {
  const s = "4 mock";
  const { startup, throughput: t } = r;
  const ms = (/** @type {{ median: number, min: number, max: number }} */ x) => ({
    figure: `${int(x.median)} ms`,
    spread: `${int(x.min)}–${int(x.max)} ms`,
  });
  /** @param {{ failures: number, firstFailure: string | null }} x */
  const failed = (x) =>
    `${int(x.failures)} failed${x.firstFailure ? ` (first: ${x.firstFailure})` : ""}`;
  const load = `${t.rounds} rounds of ${int(t.requestsPerRound)} at concurrency ${t.concurrency}`;
  const ratiosText = `paired ratios ${t.ratios.map((x) => num(x, 2)).join(", ")}`;
  return [
    {
      section: s,
      measure: `raw \`prism mock\`: spawn to the first 200 (median of ${startup.starts}, baseline)`,
      ...ms(startup.prism),
      baseline: "",
      ratio: null,
      target: "—",
      result: "baseline",
    },
    {
      section: s,
      measure: `ours: spawn to the first 200 (median of ${startup.starts})`,
      ...ms(startup.ours),
      baseline: "prism",
      ratio: startup.ours.median / startup.prism.median,
      target: `≤ ${int(TARGETS.mockFirst200Ms)} ms`,
      result: verdict(startup.ours.median <= TARGETS.mockFirst200Ms),
    },
    {
      section: s,
      measure: `raw \`prism mock\`: throughput, median of ${load} (baseline)`,
      figure: `${int(t.prism.requestsPerSecond)} req/s`,
      spread: `per round: ${t.prism.perRound.map(int).join(", ")}; ${failed(t.prism)}`,
      baseline: "",
      ratio: null,
      target: "—",
      result: "baseline",
    },
    {
      section: s,
      measure: `ours: throughput, median of ${load} (ratio: median of the paired rounds)`,
      figure: `${int(t.ours.requestsPerSecond)} req/s`,
      spread: `per round: ${t.ours.perRound.map(int).join(", ")}; ${ratiosText}; ${failed(t.ours)}`,
      baseline: "prism",
      ratio: t.ratioMedian,
      target: `≥ ${times(TARGETS.mockOverPrism)}, no failures`,
      result: verdict(t.ratioMedian >= TARGETS.mockOverPrism && t.ours.failures === 0),
    },
    {
      section: s,
      measure: "raw `prism mock`: latency p50 under that load (baseline)",
      figure: `${num(t.prism.p50Ms, 1)} ms`,
      spread: `p99 ${num(t.prism.p99Ms, 1)} ms`,
      baseline: "",
      ratio: null,
      target: "—",
      result: "baseline",
    },
    {
      section: s,
      measure: "ours: latency p50 under that load",
      figure: `${num(t.ours.p50Ms, 1)} ms`,
      spread: `p99 ${num(t.ours.p99Ms, 1)} ms`,
      baseline: "prism p50",
      ratio: t.ours.p50Ms / t.prism.p50Ms,
      target: "—",
      result: "info",
    },
  ];
}

/** @param {Awaited<ReturnType<typeof import("./pipeline.mjs").pipeline>>} r @returns {Row[]} */
export function pipelineRows(r) {
  const s = "5 pipeline";
  if (!r.measured || !r.warm || r.warmOverCold === null) {
    return [notMeasured(s, "cold vs warm `turbo run build`", r.reason ?? "failed")];
  }
  const { cold, warm } = r;
  const sec = (/** @type {number | null} */ ms) =>
    ms === null ? "n/a" : ms < 1000 ? `${int(ms)} ms` : `${num(ms / 1000, 1)} s`;
  return [
    {
      section: s,
      measure: "cold `turbo run build --force` (baseline)",
      figure: sec(cold.wallMs),
      spread: `turbo's own: ${sec(cold.turboMs)}; ${cold.tasks} tasks, ${cold.cached} cached`,
      baseline: "",
      ratio: null,
      target: "—",
      result: "baseline",
    },
    {
      section: s,
      measure: "warm `turbo run build` (wall, npx + pnpm start-up included)",
      figure: sec(warm.wallMs),
      spread: `turbo's own: ${sec(warm.turboMs)}; ${warm.cached}/${warm.tasks} cached${warm.fullTurbo ? ", FULL TURBO" : ""}`,
      baseline: "cold",
      ratio: r.warmOverCold,
      target: `≤ ${times(TARGETS.warmOverCold)}`,
      result: verdict(r.warmOverCold <= TARGETS.warmOverCold),
    },
    {
      section: s,
      measure: "warm ÷ cold, turbo's own time",
      figure: times(r.turboWarmOverCold),
      spread: "without npx, pnpm and turbo start-up",
      baseline: "",
      ratio: null,
      target: "—",
      result: "info",
    },
  ];
}

/** @param {Awaited<ReturnType<typeof import("./scale.mjs").scale>>} r @returns {Row[]} */
export function scaleRows(r) {
  const s = "6 scale";
  const { ours, fetch } = r;
  const tokensOk = ours.tokenRequests.every((n) => n === TARGETS.tokenRequests);
  const failed = ours.failures ? `; ${int(ours.failures)} calls failed: ${ours.firstFailure}` : "";
  return [
    {
      section: s,
      measure: `${int(r.calls)} concurrent plain \`fetch\` PUTs, wall (baseline)`,
      figure: `${int(fetch.wallMs)} ms`,
      spread: `median of ${r.runs} runs`,
      baseline: "",
      ratio: null,
      target: "—",
      result: "baseline",
    },
    {
      section: s,
      measure: `ours: ${int(r.calls)} concurrent \`inviteCamera\`, ${r.conferences} conferences, hostPassword, wall`,
      figure: `${int(ours.wallMs)} ms`,
      spread: `median of ${r.runs} runs${failed}`,
      baseline: "fetch",
      ratio: ours.wallMs / fetch.wallMs,
      target: "—",
      result: "info",
    },
    {
      section: s,
      measure: "ours: `CreateConfToken` requests made",
      figure: int(ours.tokenRequests[ours.tokenRequests.length - 1] ?? Number.NaN),
      spread: `per run: ${ours.tokenRequests.join(", ")}; ${int(ours.staleTokens)} PUTs with a stale token`,
      baseline: "",
      ratio: null,
      target: `= ${TARGETS.tokenRequests}`,
      result: verdict(tokensOk && ours.failures === 0),
    },
    {
      section: s,
      measure: "plain `fetch`: heap retained after the burst (baseline)",
      figure: `${int(fetch.heapRetainedKB)} KB`,
      spread: `${int(fetch.heapHeldKB)} KB while held`,
      baseline: "",
      ratio: null,
      target: "—",
      result: "baseline",
    },
    {
      section: s,
      measure: "ours: heap retained after dropping the client",
      figure: `${int(ours.heapRetainedKB)} KB`,
      spread: `${int(ours.heapHeldKB)} KB while held; ${int(ours.heapRetainedKB - fetch.heapRetainedKB)} KB more than fetch`,
      baseline: "fetch",
      ratio: fetch.heapRetainedKB > 0 ? ours.heapRetainedKB / fetch.heapRetainedKB : null,
      target: "—",
      result: "info",
    },
  ];
}
