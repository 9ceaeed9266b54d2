// `pnpm bench`: every benchmark in one run, side by side. Progress goes to stderr; the tables to
// stdout, to README.md's results section and (the rows with a target) to the root README's
// summary; every figure to results.json. Exits 0 when a target is missed (a benchmark reports, it
// does not fail a test); 1 only when a section itself crashed.
// `node run.mjs mock [scale …]` runs only the sections named by key and prints their tables; it
// leaves the READMEs and results.json alone, since those hold a whole run.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { replaceSection } from "@meeting-control/testkit/section";
import { esbuildVersion } from "@meeting-control/testkit/size";
import { MAJORS, onEveryNode } from "./nodes.mjs";
import { notesOf } from "./notes.mjs";
import { versionOf } from "./packages.mjs";
import { markdownTable, notMeasured, stableJson } from "./report.mjs";
import { ROWS, TARGETS } from "./rows.mjs";
import { rowsOnNode } from "./rows-node.mjs";
import { log, round } from "./stats.mjs";

const here = (/** @type {string} */ file) => fileURLToPath(new URL(file, import.meta.url));

/**
 * Sections in table order. Each module exports a function named by the section's key; rows.mjs
 * (rows-node.mjs for those run on every Node) turns its figures into rows, notes.mjs into a note.
 * `order` is when each runs: the pipeline goes last because its cold build rewrites
 * packages/client/dist and packages/mock/dist, which the others import, bundle and run.
 * `onEveryNode`: run in a process of its own on each Node of the matrix (nodes.mjs), `twice` on
 * the first, whose runs must agree.
 */
const SECTIONS = [
  {
    key: "perCall",
    title: "1 per call",
    order: 1,
    file: "./per-call.mjs",
    onEveryNode: true,
    twice: true,
  },
  {
    key: "roundTrip",
    title: "2 round trip",
    order: 2,
    file: "./round-trip.mjs",
    onEveryNode: true,
  },
  { key: "bundleSize", title: "3 bundle", order: 3, file: "./size.mjs" },
  { key: "mock", title: "4 mock", order: 4, file: "./mock.mjs" },
  { key: "pipeline", title: "5 pipeline", order: 7, file: "./pipeline.mjs" },
  { key: "scale", title: "6 scale", order: 5, file: "./scale.mjs" },
  { key: "proxy", title: "7 proxy", order: 6, file: "./proxy.mjs" },
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
    const run = section.onEveryNode
      ? () => onEveryNode(section)
      : (await import(section.file))[section.key];
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

/** @param {typeof SECTIONS} sections @returns {import("./report.mjs").Row[]} */
const crashedRows = (sections) =>
  sections.flatMap((s) =>
    results[s.key].error ? [notMeasured(s.title, "section crashed", results[s.key].error)] : [],
  );
const everyNode = selected.filter((s) => s.onEveryNode && !results[s.key].error);
const once = selected.filter((s) => !s.onEveryNode || results[s.key].error);
const nodeOf = (/** @type {string} */ major) =>
  everyNode.flatMap((s) => results[s.key].runs).find((r) => r.major === major && r.node)?.node;
const titles = everyNode.map((s) => `§${s.title}`).join(" and ");
/** One table per Node for the sections run on every Node, then one for the others. */
const tables = [
  ...(everyNode.length ? MAJORS : []).map((major) => ({
    heading: `${titles} on Node ${major}${nodeOf(major) ? ` (${nodeOf(major)})` : ""}`,
    rows: rowsOnNode(/** @type {any} */ (everyNode), results, major),
  })),
  {
    heading: `${once.map((s) => `§${s.title}`).join(", ")} on Node ${process.version}`,
    rows: [
      ...crashedRows(once),
      ...once.flatMap((s) =>
        results[s.key].error ? [] : (ROWS[s.key]?.(results[s.key], s.title) ?? []),
      ),
    ],
  },
].filter((t) => t.rows.length);
const rows = tables.flatMap((t) => t.rows);

const dirty = git(["status", "--porcelain"]) !== "";
const environment = {
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  cpu: os.cpus()[0]?.model ?? "unknown",
  cores: os.availableParallelism(),
  loadAverageAtStart: round(loadAtStart, 2),
  loadAverageAtEnd: round(os.loadavg()[0] ?? 0, 2),
  nodes: Object.fromEntries(MAJORS.map((major) => [major, nodeOf(major) ?? null])),
  esbuild: esbuildVersion,
  openapiFetch: versionOf("openapi-fetch"),
  axios: versionOf("axios"),
  huaweicloudSdkCore: versionOf("@huaweicloud/huaweicloud-sdk-core"),
  prismCli: versionOf("@stoplight/prism-cli"),
};
const commit = `${git(["rev-parse", "--short", "HEAD"]) || "unknown"}${dirty ? " + uncommitted changes" : ""}`;
const date = new Date().toISOString().replace(/\.\d+Z$/, "Z");

const notes = notesOf(selected, results, environment);

const measured = `Measured by \`pnpm bench\` (bench/run.mjs) on ${date.slice(0, 10)}, commit ${commit}, in ${seconds} s, load average ${environment.loadAverageAtStart} at start and ${environment.loadAverageAtEnd} at end on ${environment.cores} cores.`;
const markdown = [
  `${measured} A ratio is the figure ÷ the baseline named beside it; **miss** marks a target not met.`,
  ...tables.flatMap((t) => ["", `### ${t.heading}`, "", markdownTable(t.rows)]),
  "",
  ...notes.map((n) => `- ${n}`),
  "",
].join("\n");
const summary = [
  `${measured} Every target of the run, misses included; [bench/README.md](bench/README.md#results) has every figure, how each is measured, and the notes.`,
  "",
  markdownTable(rows.filter((row) => row.target !== "—")),
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
    `done in ${seconds} s: ${picked.join(", ")} only, so results.json and the READMEs are left as they were`,
  );
} else {
  writeFileSync(here("results.json"), `${stableJson(json)}\n`);
  /** Rewrites the section `name` of `file`, between its markers. @param {string} file @param {string} name @param {string} text */
  const generate = (file, name, text) => {
    const start = `<!-- ${name}:start (written by pnpm bench: bench/run.mjs) -->`;
    const end = `<!-- ${name}:end -->`;
    const section = `${start}\n\n${text.trim()}\n\n${end}`;
    writeFileSync(file, replaceSection(readFileSync(file, "utf8"), start, end, section));
  };
  generate(here("README.md"), "results", markdown);
  generate(here("../README.md"), "bench-summary", summary);
  log(
    `done in ${seconds} s: wrote results.json, README.md's results and the root README's summary`,
  );
}
process.exitCode = crashed ? 1 : 0;
