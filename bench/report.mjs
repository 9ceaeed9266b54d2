// Table rows with their defaults, the figures' formats, the markdown table and a stable results.json.

/**
 * @typedef {object} Row
 * @property {string} section
 * @property {string} measure
 * @property {string} figure the figure, formatted with its unit
 * @property {string} spread its spread or a detail, formatted
 * @property {string} baseline what the ratio divides by ("" when none)
 * @property {number | null} ratio figure ÷ baseline
 * @property {string} target
 * @property {"pass" | "miss" | "baseline" | "info" | "not measured"} result
 */

const en = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
/** @param {number} x @param {number} [digits] */
export const num = (x, digits = 0) =>
  Number.isFinite(x)
    ? new Intl.NumberFormat("en-US", {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      }).format(x)
    : "n/a";
/** @param {number} x */
export const int = (x) => (Number.isFinite(x) ? en.format(x) : "n/a");
/** @param {number | null} x */
export const times = (x) =>
  x === null || !Number.isFinite(x) ? "—" : `${num(x, x >= 0.1 ? 2 : x >= 0.01 ? 3 : 4)}×`;

/** @param {boolean} ok @returns {"pass" | "miss"} */
export const verdict = (ok) => (ok ? "pass" : "miss");

/**
 * A section's row maker. Each row states its measure, figure and spread (or detail), then in
 * `parts` only what differs from the defaults: no ratio, no target, result "info".
 * @param {string} section
 */
export const rowsOf =
  (section) =>
  /** @param {string} measure @param {string} figure @param {string} spread @param {Partial<Row>[]} parts @returns {Row} */
  (measure, figure, spread, ...parts) =>
    Object.assign(
      { section, measure, figure, spread, baseline: "", ratio: null, target: "—", result: "info" },
      ...parts,
    );

/** The row a section's ratios divide by. @type {Partial<Row>} */
export const BASELINE = { result: "baseline" };
/** The figure ÷ the baseline named. @param {string} baseline @param {number | null} ratio */
export const vs = (baseline, ratio) => ({ baseline, ratio });
/** @param {string} target @param {boolean} ok */
export const goal = (target, ok) => ({ target, result: verdict(ok) });
/** @param {number} value @param {number} limit @param {string} [shown] the limit as printed */
export const atMost = (value, limit, shown = times(limit)) => goal(`≤ ${shown}`, value <= limit);
/** @param {number} value @param {number} limit @param {string} [shown] the limit as printed */
export const atLeast = (value, limit, shown = times(limit)) => goal(`≥ ${shown}`, value >= limit);

/** @param {string} section @param {string} measure @param {string} reason @returns {Row} */
export const notMeasured = (section, measure, reason) =>
  rowsOf(section)(measure, "—", reason, { result: "not measured" });

/** @param {Row[]} rows */
export function markdownTable(rows) {
  const head = ["§", "measure", "figure", "spread / detail", "ratio", "target", "result"];
  const lines = [
    `| ${head.join(" | ")} |`,
    `| ${head.map((_, i) => (i === 2 ? "---:" : "---")).join(" | ")} |`,
  ];
  for (const row of rows) {
    const ratio = row.ratio === null ? "—" : `${times(row.ratio)} ${row.baseline}`;
    const result = row.result === "miss" ? "**miss**" : row.result;
    const cells = [row.section, row.measure, row.figure, row.spread, ratio, row.target, result];
    lines.push(
      `| ${cells.map((c) => (c || "—").replace(/\s*\n\s*/g, " ").replaceAll("|", "\\|")).join(" | ")} |`,
    );
  }
  return lines.join("\n");
}

/**
 * JSON with two-space indentation where every object is expanded and every short array of
 * plain values stays on one line: the layout Biome keeps, so the committed file never needs
 * reformatting and two runs differ only in their figures.
 * @param {unknown} value
 * @param {string} [indent]
 * @returns {string}
 */
export function stableJson(value, indent = "") {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const plain = value.every((v) => v === null || typeof v !== "object");
    const oneLine = `[${value.map((v) => JSON.stringify(v)).join(", ")}]`;
    if (plain && oneLine.length + indent.length < 60) return oneLine;
    return `[\n${value.map((v) => inner + stableJson(v, inner)).join(",\n")}\n${indent}]`;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return "{}";
    const body = entries
      .map(([k, v]) => `${inner}${JSON.stringify(k)}: ${stableJson(v, inner)}`)
      .join(",\n");
    return `{\n${body}\n${indent}}`;
  }
  if (typeof value === "number" && !Number.isFinite(value)) return "null";
  return JSON.stringify(value);
}
