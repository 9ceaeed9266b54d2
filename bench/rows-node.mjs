// The rows of §1 and §2, which run once per Node version (§1 twice on the first): each run's rows
// are titled with its Node, and the targets of §1 hold on the first major, as the issue set them.
import { MAJORS } from "./nodes.mjs";
import { atMost, BASELINE, goal, int, notMeasured, num, rowsOf, times, vs } from "./report.mjs";
import { TARGETS as T } from "./rows.mjs";

/** @typedef {import("./report.mjs").Row} Row */
/** @typedef {Awaited<ReturnType<typeof import("./per-call.mjs").perCall>>} PerCall */
/** @typedef {Awaited<ReturnType<typeof import("./round-trip.mjs").roundTrip>>} RoundTrip */
/** @typedef {{ median: number, mad: number, blocks: number }} Paired */

/** A run's title: the section, its Node, and which run when there are two. @param {any} run @param {string} title @param {boolean} twice */
export const runTitle = (run, title, twice) =>
  `${title} · Node ${run.node ?? run.major}${twice ? ` · run ${run.run}` : ""}`;

const MODE = { custom: "stub as custom `fetch`", global: "stub as global `fetch`" };
/** @param {Paired} p */
const pairedSpread = (p) => `± ${num(p.mad, 2)} (MAD, ${p.blocks} paired blocks)`;

/** @param {PerCall & { major: string }} r @param {string} title */
function perCallRows(r, title) {
  const row = rowsOf(title);
  const ns = (/** @type {{ median: number, mad: number }} */ x) => [
    `${int(x.median)} ns`,
    `± ${int(x.mad)} ns (MAD)`,
  ];
  const judged = r.major === MAJORS[0];
  /** @param {"custom" | "global"} mode */
  const modeRows = (mode) => {
    const m = r[mode];
    const targeted = judged && mode === "global";
    const [oursNs, oursMad] = ns(m.ns.ours);
    const overBare = m.oursOverBare.median;
    const overLfl = m.oursOverLikeForLike.median;
    return [
      row(
        `${MODE[mode]}: bare openapi-fetch \`PUT\``,
        ...ns(m.ns.openapiFetch),
        vs("hand-built", m.openapiFetchOverHand.median),
      ),
      row(
        `${MODE[mode]}: like-for-like: openapi-fetch with \`AbortSignal.timeout\` per call`,
        ...ns(m.ns.likeForLike),
        vs("openapi-fetch", m.likeForLikeOverBare.median),
      ),
      row(
        `${MODE[mode]}: timeout floor: openapi-fetch with a new AbortController and timer per call (signal ${m.signal})`,
        ...ns(m.ns.timeoutFloor),
        vs("openapi-fetch", m.floorOverBare.median),
      ),
      row(
        `${MODE[mode]}: ours: \`client.inviteCamera\` (its signal ${m.signal})`,
        oursNs,
        `${oursMad}; ratio ${pairedSpread(m.oursOverBare)}`,
        vs("openapi-fetch", overBare),
        targeted ? atMost(overBare, T.perCallOverOpenapiFetch) : {},
      ),
      row(
        `${MODE[mode]}: ours ÷ like-for-like`,
        times(overLfl),
        pairedSpread(m.oursOverLikeForLike),
        vs("like-for-like", overLfl),
        targeted ? atMost(overLfl, T.perCallOverLikeForLike) : {},
      ),
      row(
        `${MODE[mode]}: ours ÷ timeout floor`,
        times(m.oursOverFloor.median),
        pairedSpread(m.oursOverFloor),
        vs("timeout floor", m.oursOverFloor.median),
      ),
    ];
  };
  return [
    row("harness: a block of empty calls (taken off every figure below)", ...ns(r.harness)),
    row("hand-built `Request` + stub fetch (baseline)", ...ns(r.byHand), BASELINE),
    ...modeRows("custom"),
    ...modeRows("global"),
    row(
      "event-loop turns counted while the blocks ran",
      int(r.turns),
      `${int(r.batchesRun)} batches of ${r.batch} calls, each followed by one turn`,
      goal("≥ 1 per batch", r.turns >= r.batchesRun),
    ),
  ];
}

/**
 * Whether two runs of §1 on the first major agree: both global-fetch ratios, run 1 against run 2.
 * @param {(PerCall & { major: string, run: number })[]} runs @param {string} title
 */
function agreementRows(runs, title) {
  const [one, two] = runs.filter((r) => r.major === MAJORS[0] && !("error" in r));
  if (!one || !two) return [];
  const row = rowsOf(`${title} · Node ${one.node} · runs 1 and 2`);
  /** @param {string} what @param {"oursOverBare" | "oursOverLikeForLike"} key */
  const agree = (what, key) => {
    const [a, b] = [one.global[key].median, two.global[key].median];
    const apart = Math.abs(a - b);
    return row(
      `global \`fetch\`: ours ÷ ${what}, run 1 and run 2`,
      `${times(a)} and ${times(b)}`,
      `${num(apart, 2)} apart`,
      goal(`≤ ${num(T.perCallRunsApart, 2)} apart`, apart <= T.perCallRunsApart),
    );
  };
  return [
    agree("bare openapi-fetch", "oursOverBare"),
    agree("like-for-like", "oursOverLikeForLike"),
  ];
}

/** @param {RoundTrip} r @param {string} title */
function roundTripRows(r, title) {
  const row = rowsOf(title);
  const { fetch, openapiFetch: bare, openapiFetchAgain: again, timeoutFloor: floor, ours } = r.ms;
  const ms = (/** @type {number} */ x) => `${num(x, 3)} ms`;
  const p50 = (/** @type {{ p50: number, mad: number }} */ x) => [
    ms(x.p50),
    `± ${ms(x.mad)} (MAD)`,
  ];
  const ratio = ours.p50 / bare.p50;
  const pairedRatio = r.pairedP50.oursOverBare;
  const [oursP50, oursMad] = p50(ours);
  return [
    row(
      `bare openapi-fetch p50 (baseline), ${int(bare.requests)} requests`,
      ...p50(bare),
      BASELINE,
    ),
    ...(again
      ? [
          row(
            `bare openapi-fetch again p50 (A/A control: the same code as a second side), ${int(again.requests)} requests`,
            ...p50(again),
            vs("openapi-fetch p50", again.p50 / bare.p50),
          ),
        ]
      : []),
    row(
      `plain \`fetch\` p50, ${int(fetch.requests)} requests`,
      ...p50(fetch),
      vs("openapi-fetch p50", fetch.p50 / bare.p50),
    ),
    ...(floor
      ? [
          row(
            `timeout floor p50: openapi-fetch with a new AbortController and timer per request, ${int(floor.requests)} requests`,
            ...p50(floor),
            vs("openapi-fetch p50", floor.p50 / bare.p50),
          ),
        ]
      : []),
    row(
      `ours p50, ${int(ours.requests)} requests`,
      oursP50,
      `${oursMad}; paired per block ${times(pairedRatio.median)} ${pairedSpread(pairedRatio)}`,
      vs("openapi-fetch p50", ratio),
      atMost(ratio, T.roundTripP50),
    ),
    ...(r.pairedP50.oursOverFloor
      ? [
          row(
            "ours ÷ timeout floor, paired p50",
            times(r.pairedP50.oursOverFloor.median),
            pairedSpread(r.pairedP50.oursOverFloor),
            vs("timeout floor", r.pairedP50.oursOverFloor.median),
          ),
        ]
      : []),
    row("bare openapi-fetch p99", ms(bare.p99), "", BASELINE),
    row("ours p99", ms(ours.p99), "", vs("openapi-fetch p99", ours.p99 / bare.p99)),
  ];
}

const ROWS = { perCall: perCallRows, roundTrip: roundTripRows };

/**
 * The rows of the per-Node sections' runs on one major, in section order.
 * @param {{ key: "perCall" | "roundTrip", title: string, twice?: boolean }[]} sections
 * @param {Record<string, { runs: any[] }>} results @param {string} major
 * @returns {Row[]}
 */
export function rowsOnNode(sections, results, major) {
  return sections.flatMap((section) => {
    const runs = results[section.key]?.runs ?? [];
    const twice = runs.filter((r) => r.major === major).length > 1;
    const rows = runs
      .filter((r) => r.major === major)
      .flatMap((r) => {
        const title = runTitle(r, section.title, twice);
        return r.error
          ? [notMeasured(title, "the section on this Node", r.error)]
          : ROWS[section.key](r, title);
      });
    return section.key === "perCall" && major === MAJORS[0]
      ? [...rows, ...agreementRows(runs, section.title)]
      : rows;
  });
}
