// `pnpm bench`: every benchmark in one run, side by side. Progress goes to stderr; the table to
// stdout and to results.md; every figure to results.json. Exits 0 when a target is missed (a
// benchmark reports, it does not fail a test); 1 only when a section itself crashed.
// `node run.mjs mock [scale …]` runs only the sections named by key and prints their table; it
// leaves results.md and results.json alone, since those hold a whole run.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { markdownTable, stableJson } from "./report.mjs";
import {
  bundleRows,
  mockRows,
  notMeasured,
  perCallRows,
  pipelineRows,
  roundTripRows,
  scaleRows,
  TARGETS,
} from "./rows.mjs";
import { log, round } from "./stats.mjs";

const here = (/** @type {string} */ file) => fileURLToPath(new URL(file, import.meta.url));

/**
 * Sections in table order. `order` is when each runs: the pipeline goes last because its cold
 * build rewrites packages/client/dist, which the other sections import and bundle.
 * @type {{ key: string, title: string, order: number, load: () => Promise<() => Promise<any>>, rows: (r: any) => import("./report.mjs").Row[] }[]}
 */
const SECTIONS = [
  {
    key: "perCall",
    title: "1 per call",
    order: 1,
    load: async () => (await import("./per-call.mjs")).perCall,
    rows: perCallRows,
  },
  {
    key: "roundTrip",
    title: "2 round trip",
    order: 2,
    load: async () => (await import("./round-trip.mjs")).roundTrip,
    rows: roundTripRows,
  },
  {
    key: "bundleSize",
    title: "3 bundle",
    order: 3,
    load: async () => (await import("./size.mjs")).bundleSize,
    rows: bundleRows,
  },
  {
    key: "mock",
    title: "4 mock",
    order: 4,
    load: async () => (await import("./mock.mjs")).mock,
    rows: mockRows,
  },
  {
    key: "pipeline",
    title: "5 pipeline",
    order: 6,
    load: async () => (await import("./pipeline.mjs")).pipeline,
    rows: pipelineRows,
  },
  {
    key: "scale",
    title: "6 scale",
    order: 5,
    load: async () => (await import("./scale.mjs")).scale,
    rows: scaleRows,
  },
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
/** @param {string} name */
const version = (name) =>
  JSON.parse(readFileSync(here(`node_modules/${name}/package.json`), "utf8")).version;

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
    const run = await section.load();
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
  return r.error ? [notMeasured(section.title, "section crashed", r.error)] : section.rows(r);
});

const dirty = git(["status", "--porcelain"]) !== "";
const environment = {
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  cpu: os.cpus()[0]?.model ?? "unknown",
  cores: os.availableParallelism(),
  loadAverageAtStart: round(loadAtStart, 2),
  loadAverageAtEnd: round(os.loadavg()[0] ?? 0, 2),
  tinybench: version("tinybench"),
  esbuild: version("esbuild"),
  openapiFetch: version("openapi-fetch"),
  axios: version("axios"),
  huaweicloudSdkCore: version("@huaweicloud/huaweicloud-sdk-core"),
  prismCli: version("@stoplight/prism-cli"),
};
const commit = `${git(["rev-parse", "--short", "HEAD"]) || "unknown"}${dirty ? " + uncommitted changes" : ""}`;
const date = new Date().toISOString().replace(/\.\d+Z$/, "Z");

/** Facts a reader needs to trust the table, derived from this run. */
const notes = [];
const perCall = results.perCall;
if (perCall && !perCall.error) {
  const differ = Object.entries(perCall.sameRequest)
    .filter(([, same]) => !same)
    .map(([name]) => name);
  notes.push(
    differ.length
      ? `§1: ${differ.join(", ")} did not send the same request as the hand-built one (see results.json).`
      : "§1: all four send the same request (method, URL with the encoded query, JSON body, Content-Type, X-Conference-Authorization), checked before timing. Each sample is the mean of 32 sequential awaited calls; axios's stub adapter stops before any URL or request is built.",
  );
}
const size = results.bundleSize;
if (size && !size.error && size.platform === "node") {
  const why = Object.entries(size.neutralFailed)
    .map(([name, text]) => `${name}: ${text}`)
    .join("; ");
  notes.push(
    `§3: esbuild cannot bundle every entry for platform neutral (${why}), so all four are bundled for platform node (Node built-ins left out). For context, axios as a browser bundler picks it is ${size.axiosBrowserBuild.gzip.toLocaleString("en-US")} B min+gz.`,
  );
}
const pipe = results.pipeline;
if (pipe && !pipe.error) {
  notes.push(
    pipe.measured
      ? `§5: wall times include \`npx\`, pnpm and turbo start-up (${round((pipe.warm.wallMs - (pipe.warm.turboMs ?? 0)) / 1000, 1)} s of the warm run), which no cache removes; turbo's own time is shown beside them. The bench package has no build task, so it is not part of either run.`
      : `§5: not measured: ${pipe.reason}.`,
  );
}
notes.push(
  `Machine: ${environment.cores} cores, ${environment.cpu}, Node ${environment.node}; load average ${environment.loadAverageAtStart} at start, ${environment.loadAverageAtEnd} at end. Ratios come from samples taken side by side in the same run, so they hold better than the absolute figures when the machine is busy.`,
);

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
