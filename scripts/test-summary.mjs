// The line a test run ends with: `N passed, N failed[, N skipped]`, summed over the vitest JSON
// report (test-results/vitest.json) of every package whose tests the run was to execute.
//
// scripts/test.mjs (the root `test` script) prints it after turbo; with TEST_SUMMARY_LINE=later it
// prints the per-package rows only and keeps the sums in test-results/summary.json, and
// `node scripts/test-summary.mjs <exit status of the steps after the tests>` prints the line at
// the very end of a longer run (.ci/run, whose audit comes after the tests).
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("..", import.meta.url));
const saved = join(root, "test-results", "summary.json");

/** The workspace packages that have a `test` script (pnpm-workspace.yaml's globs): folder, name. */
export function packagesWithTests() {
  const dirs = ["spec"];
  for (const parent of ["packages", "apps"]) {
    const path = join(root, parent);
    if (!existsSync(path)) continue;
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (entry.isDirectory()) dirs.push(join(parent, entry.name));
    }
  }
  return dirs.flatMap((dir) => {
    const manifest = join(root, dir, "package.json");
    if (!existsSync(manifest)) return [];
    const { name, scripts } = JSON.parse(readFileSync(manifest, "utf8"));
    return scripts?.test ? [{ dir, name: String(name) }] : [];
  });
}

export const reportPath = (dir) => join(root, dir, "test-results", "vitest.json");

/**
 * Sums the reports of `tests`: one entry per package whose tests were to run, with `why` saying
 * what happened when there is no report (its tests were skipped, or crashed before reporting).
 * A missing report counts as one failed test; so does a test file that failed to load.
 * @param {{ dir: string, why?: string }[]} tests
 * @param {number} runStatus exit status of the run (lint, typecheck, build and tests)
 */
export function summarize(tests, runStatus) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const rows = [];
  for (const { dir, why } of tests) {
    const report = reportPath(dir);
    if (!existsSync(report)) {
      failed += 1;
      rows.push(`${dir}: no test report (${why ?? "its tests did not run"})`);
      continue;
    }
    const r = JSON.parse(readFileSync(report, "utf8"));
    const broken = r.numFailedTests === 0 ? r.numFailedTestSuites : 0;
    const s = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    passed += r.numPassedTests;
    failed += r.numFailedTests + broken;
    skipped += s;
    rows.push(
      `${dir}: ${r.numPassedTests} passed, ${r.numFailedTests + broken} failed, ${s} skipped`,
    );
  }
  if (runStatus !== 0 && failed === 0) {
    failed += 1;
    rows.push(`the run exited ${runStatus} outside any test (lint, typecheck or build failed)`);
  }
  if (passed === 0) {
    // Counted, so that the line says what the exit status does.
    if (failed === 0) failed += 1;
    rows.push("no test passed: a run that executes no test is a failure");
  }
  return { passed, failed, skipped, rows };
}

/** @param {{ passed: number, failed: number, skipped: number }} sums */
export const summaryLine = ({ passed, failed, skipped }) =>
  `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`;

export const succeeded = ({ passed, failed }) => failed === 0 && passed > 0;

/** Keeps the sums for a summary line printed later (TEST_SUMMARY_LINE=later). */
export const save = (sums) => writeFileSync(saved, JSON.stringify(sums));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const status = Number(process.argv[2] ?? 0);
  let sums;
  if (existsSync(saved)) {
    sums = JSON.parse(readFileSync(saved, "utf8"));
  } else {
    // No saved run (the test command did not get that far): every package counts as not run.
    sums = summarize(
      packagesWithTests().map(({ dir }) => ({ dir, why: "the test command did not finish" })),
      1,
    );
    for (const row of sums.rows) console.log(`  ${row}`);
  }
  if (status !== 0 && sums.failed === 0) {
    sums.failed += 1;
    console.log(`  a step after the tests exited ${status}`);
  }
  console.log(summaryLine(sums));
  process.exit(succeeded(sums) && status === 0 ? 0 : 1);
}
