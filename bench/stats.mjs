// Statistics and the tinybench harness shared by every section.
import { Bench } from "tinybench";

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

/**
 * @typedef {object} BenchTask
 * @property {string} name
 * @property {() => Promise<unknown>} fn
 */

/**
 * Runs the tasks side by side with tinybench, in `rounds` fresh `Bench` instances whose task
 * order rotates each round (A B C D, B C D A, …), and pools each task's samples. Rotating
 * spreads drift (thermal, GC, a neighbour's build) over every task instead of the last one.
 * @param {BenchTask[]} tasks
 * @param {{ rounds: number, options: import("tinybench").BenchOptions, label: string }} how
 * @returns {Promise<Map<string, number[]>>} samples in ms, per task name
 */
export async function sideBySide(tasks, { rounds, options, label }) {
  /** @type {Map<string, number[]>} */
  const pool = new Map(tasks.map((t) => [t.name, []]));
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({ ...options, retainSamples: true, throws: true });
    for (let i = 0; i < tasks.length; i++) {
      const task = /** @type {BenchTask} */ (tasks[(i + round) % tasks.length]);
      bench.add(task.name, task.fn, { async: true });
    }
    await bench.run();
    for (const task of bench.tasks) {
      const { result } = task;
      if (result.state !== "completed") throw new Error(`${task.name}: ${result.state}`);
      const samples = result.latency.samples ?? [];
      const into = /** @type {number[]} */ (pool.get(task.name));
      for (const x of samples) into.push(x);
    }
    log(`${label}: round ${round + 1}/${rounds} done`);
  }
  return pool;
}
