// `pnpm bench`: every benchmark in one run, side by side. Progress goes to stderr; the table to
// stdout and to results.md; every figure to results.json. Exits 0 when a target is missed (a
// benchmark reports, it does not fail a test); 1 only when a section itself crashed.
// `node run.mjs mock [scale …]` runs only the sections named by key and prints their table; it
// leaves results.md and results.json alone, since those hold a whole run.
import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { esbuildVersion } from "@meeting-control/testkit/size";
import { notesOf } from "./notes.mjs";
import { versionOf } from "./packages.mjs";
import { markdownTable, notMeasured, stableJson } from "./report.mjs";
import { ROWS, TARGETS } from "./rows.mjs";
import { log, round } from "./stats.mjs";

const here = (/** @type {string} */ file) => fileURLToPath(new URL(file, import.meta.url));

/**
 * Sections in table order. Each module exports a function named by the section's key; rows.mjs
 * turns its figures into rows, notes.mjs into a note. `order` is when each runs: the pipeline goes
 * last because its cold build rewrites packages/client/dist, which the others import and bundle.
 */
const SECTIONS = [
  { key: "perCall", title: "1 per call", order: 1, file: "./per-call.mjs" },
  { key: "roundTrip", title: "2 round trip", order: 2, file: "./round-trip.mjs" },
  { key: "bundleSize", title: "3 bundle", order: 3, file: "./size.mjs" },
  { key: "mock", title: "4 mock", order: 4, file: "./mock.mjs" },
  { key: "pipeline", title: "5 pipeline", order: 6, file: "./pipeline.mjs" },
  { key: "scale", title: "6 scale", order: 5, file: "./scale.mjs" },
];

const picked = process.argv.slice(2);
const unknown = picked.filter((key) => !SECTIONS.some((s) => s.key === key));
if (unknown.length) {
  log(`unknown section ${unknown.join(", ")}; pick from ${SECTIONS.map((s) => s.key).join(", ")}`);
  process.exit(2);
}
const selected = picked.length ? SECTIONS.filter((s) => picked.includes(s.key)) : SECTIONS;

for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) {
  process.on(signal, () => process.exit(130)); // "exit" handlers stop every child we started
}

/** @param {string[]} args */
const git = (args) => {
  try {
    return execFileSync("git", args, { cwd: here("."), encoding: "utf8" }).trim();
  } catch {
    return "";
  }
};

const clientEntry = fileURLToPath(import.meta.resolve("@meeting-control/client"));
const clientHint = existsSync(clientEntry)
  ? ""
  : ` (packages/client/dist is missing: build the client first, e.g. \`cd packages/client && npx pnpm@10 exec tsup\`)`;

const started = performance.now();
const loadAtStart = os.loadavg()[0] ?? 0;
/** @type {Record<string, any>} */
const results = {};
let crashed = false;
for (const section of [...selected].sort((a, b) => a.order - b.order)) {
  const t = performance.now();
  log(`§${section.title}…`);
  try {
    const run = (await import(section.file))[section.key];
    results[section.key] = { seconds: 0, ...(await run()) };
  } catch (error) {
    crashed = true;
    const message = `${/** @type {Error} */ (error)?.message ?? error}${clientHint}`;
    log(`§${section.title} crashed: ${/** @type {Error} */ (error)?.stack ?? error}`);
    results[section.key] = { seconds: 0, error: message };
  }
  results[section.key].seconds = round((performance.now() - t) / 1000, 1);
  log(`§${section.title}: ${results[section.key].seconds} s`);
}
const seconds = round((performance.now() - started) / 1000, 1);

const rows = selected.flatMap((section) => {
  const r = results[section.key];
  if (r.error) return [notMeasured(section.title, "section crashed", r.error)];
  return ROWS[section.key]?.(r, section.title) ?? [];
});

const dirty = git(["status", "--porcelain"]) !== "";
const environment = {
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  cpu: os.cpus()[0]?.model ?? "unknown",
  cores: os.availableParallelism(),
  loadAverageAtStart: round(loadAtStart, 2),
  loadAverageAtEnd: round(os.loadavg()[0] ?? 0, 2),
  tinybench: versionOf("tinybench"),
  esbuild: esbuildVersion,
  openapiFetch: versionOf("openapi-fetch"),
  axios: versionOf("axios"),
  huaweicloudSdkCore: versionOf("@huaweicloud/huaweicloud-sdk-core"),
  prismCli: versionOf("@stoplight/prism-cli"),
};
const commit = `${git(["rev-parse", "--short", "HEAD"]) || "unknown"}${dirty ? " + uncommitted changes" : ""}`;
const date = new Date().toISOString().replace(/\.\d+Z$/, "Z");

const notes = notesOf(selected, results, environment);

const markdown = [
  `Measured by \`pnpm bench\` (bench/run.mjs) on ${date.slice(0, 10)}, commit ${commit}, in ${seconds} s. A ratio is the figure ÷ the baseline named beside it; **miss** marks a target not met.`,
  "",
  markdownTable(rows),
  "",
  ...notes.map((n) => `- ${n}`),
  "",
].join("\n");

const json = {
  about:
    "Written by bench/run.mjs (pnpm bench). `table` is the printed table; `sections` hold every figure and how it was measured.",
  date,
  commit,
  seconds,
  environment,
  targets: TARGETS,
  table: rows.map((row) => ({ ...row, ratio: row.ratio === null ? null : round(row.ratio, 3) })),
  sections: Object.fromEntries(SECTIONS.map((s) => [s.key, results[s.key]])),
};
process.stdout.write(markdown);
if (picked.length) {
  log(`figures:\n${stableJson(Object.fromEntries(selected.map((s) => [s.key, results[s.key]])))}`);
  log(
    `done in ${seconds} s: ${picked.join(", ")} only, so results.json and results.md are left as they were`,
  );
} else {
  writeFileSync(here("results.json"), `${stableJson(json)}\n`);
  writeFileSync(here("results.md"), markdown);
  log(`done in ${seconds} s: wrote results.json and results.md`);
}
process.exitCode = crashed ? 1 : 0;
