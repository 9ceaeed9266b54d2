// Statistics and the interleaved-block harness shared by every section.

/**
 * @typedef {object} Summary
 * @property {number} samples how many samples
 * @property {number} median
 * @property {number} mad median absolute deviation from the median
 * @property {number} mean
 * @property {number} p99
 * @property {number} min
 * @property {number} max
 */

/** Progress goes to stderr; stdout is kept for the table. @param {string} message */
export const log = (message) => process.stderr.write(`[bench] ${message}\n`);

/**
 * The q-quantile (0…1) of ascending samples, interpolated between the two nearest ranks.
 * @param {ArrayLike<number>} ascending
 * @param {number} q
 */
export function quantile(ascending, q) {
  const n = ascending.length;
  if (n === 0) return Number.NaN;
  const position = (n - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const a = /** @type {number} */ (ascending[low]);
  const b = /** @type {number} */ (ascending[high]);
  return a + (b - a) * (position - low);
}

/** @param {ArrayLike<number>} samples @returns {Summary} */
export function summarize(samples) {
  const sorted = Float64Array.from(samples).sort();
  const median = quantile(sorted, 0.5);
  const deviations = sorted.map((x) => Math.abs(x - median)).sort();
  let sum = 0;
  for (const x of sorted) sum += x;
  return {
    samples: sorted.length,
    median,
    mad: quantile(deviations, 0.5),
    mean: sum / sorted.length,
    p99: quantile(sorted, 0.99),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

/**
 * Scales every field of a summary (e.g. ms to ns) and rounds it, keeping `samples` as is.
 * @param {Summary} summary @param {number} factor @param {number} digits
 * @returns {Summary}
 */
export function scaled(summary, factor, digits) {
  const r = (/** @type {number} */ x) => round(x * factor, digits);
  return {
    samples: summary.samples,
    median: r(summary.median),
    mad: r(summary.mad),
    mean: r(summary.mean),
    p99: r(summary.p99),
    min: r(summary.min),
    max: r(summary.max),
  };
}

/** Median, MAD, min and max of samples, rounded. @param {ArrayLike<number>} samples @param {number} digits */
export function spread(samples, digits) {
  const s = summarize(samples);
  return {
    median: round(s.median, digits),
    mad: round(s.mad, digits),
    min: round(s.min, digits),
    max: round(s.max, digits),
  };
}

/** @param {number} x @param {number} digits */
export const round = (x, digits) => {
  const f = 10 ** digits;
  return Number.isFinite(x) ? Math.round(x * f) / f : x;
};

/** One event-loop turn: a setImmediate callback runs only once the loop has come round. */
const turn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * `count` batches of `batch` sequential awaited calls of `fn`, each batch followed by one turn of
 * the event loop, as a server's loop turns: timers, FinalizationRegistry callbacks and undici's
 * cleanup run there. With `countTurns`, an independent witness counts the turns: a setImmediate
 * ticker that ticks once per turn while the batches run (it keeps the loop spinning, so only for
 * calls with no I/O to wait on).
 * @param {() => Promise<unknown>} fn
 * @param {{ count: number, batch: number, countTurns?: boolean }} how
 * @returns {Promise<{ samples: number[], turns: number }>} each batch's wall time per call in ms
 *   (its turn excluded), and the turns counted (0 unless asked)
 */
export async function batches(fn, { count, batch, countTurns = false }) {
  let turns = 0;
  let counting = countTurns;
  const tick = () => {
    turns++;
    if (counting) setImmediate(tick);
  };
  if (counting) setImmediate(tick);
  /** @type {number[]} */
  const samples = [];
  for (let s = 0; s < count; s++) {
    const t = performance.now();
    for (let c = 0; c < batch; c++) await fn();
    samples.push((performance.now() - t) / batch);
    await turn();
  }
  counting = false;
  await turn(); // the ticker's last tick, so none is left for the next batches to count
  return { samples, turns };
}

/**
 * @template T
 * @typedef {{ name: string, block: () => Promise<T> }} BlockTask a task that runs one block, here
 *   or in another process
 */

/**
 * Runs the tasks side by side: `blocks` blocks of each, after `warmUp` blocks that are not kept,
 * the task order rotating block by block (A B C, B C A, …), so drift (a neighbour's build, GC,
 * heat) hits every task alike and block i of one task pairs with block i of another.
 * @template T
 * @param {BlockTask<T>[]} tasks @param {{ blocks: number, warmUp: number, label: string }} how
 * @returns {Promise<Map<string, T[]>>}
 */
export async function interleaved(tasks, { blocks, warmUp, label }) {
  const kept = new Map(tasks.map((t) => [t.name, /** @type {T[]} */ ([])]));
  for (let b = -warmUp; b < blocks; b++) {
    for (let i = 0; i < tasks.length; i++) {
      const task = /** @type {BlockTask<T>} */ (tasks[(i + b + warmUp) % tasks.length]);
      const result = await task.block();
      if (b >= 0) kept.get(task.name)?.push(result);
    }
    if (b >= 0 && (b + 1) % 10 === 0) log(`${label}: block ${b + 1}/${blocks} done`);
  }
  return kept;
}

/**
 * Each call of `calls` as a task whose block is `perBlock` sequential awaited calls, each followed
 * by a turn, run side by side by `interleaved`: each task's per-call wall times in ms, by block.
 * @param {Record<string, () => Promise<unknown>>} calls
 * @param {{ blocks: number, warmUp: number, perBlock: number, label: string }} how
 */
export const sequentialBlocks = (calls, how) =>
  interleaved(
    Object.entries(calls).map(([name, fn]) => ({
      name,
      block: async () => (await batches(fn, { count: how.perBlock, batch: 1 })).samples,
    })),
    how,
  );

/** A task's wall times over every block pooled, in ms, rounded. @param {number[][]} blocks */
export function latency(blocks) {
  const s = summarize(blocks.flat());
  const r = (/** @type {number} */ x) => round(x, 4);
  return { requests: s.samples, p50: r(s.median), p99: r(s.p99), mad: r(s.mad), mean: r(s.mean) };
}

/** Each block's median, for `paired`. @param {number[][]} blocks */
export const blockMedians = (blocks) => blocks.map((b) => summarize(b).median);

/**
 * The ratio of two tasks' blocks, paired block by block: the median of `a[i] / b[i]` and its MAD.
 * @param {number[]} a @param {number[]} b
 */
export function paired(a, b) {
  const ratios = a.map((x, i) => x / /** @type {number} */ (b[i]));
  const s = summarize(ratios);
  return { median: round(s.median, 3), mad: round(s.mad, 3), blocks: ratios.length };
}
