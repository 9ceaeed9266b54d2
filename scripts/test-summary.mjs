// Sums the vitest JSON reports of every workspace package into the one line CI reads:
// `N passed, N failed, N skipped`. Usage: node scripts/test-summary.mjs <exit status of the test run>
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const runStatus = Number(process.argv[2] ?? 0);

/** Workspace packages that have a `test` script, from the folders pnpm-workspace.yaml names. */
function packagesWithTests() {
  const dirs = ["spec"];
  for (const parent of ["packages", "apps"]) {
    const path = join(root, parent);
    if (!existsSync(path)) continue;
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (entry.isDirectory()) dirs.push(join(parent, entry.name));
    }
  }
  return dirs.filter((dir) => {
    const manifest = join(root, dir, "package.json");
    return existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).scripts?.test;
  });
}

let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
for (const dir of packagesWithTests()) {
  const report = join(root, dir, "test-results", "vitest.json");
  if (!existsSync(report)) {
    failed += 1;
    rows.push(`${dir}: no test report (its tests did not run)`);
    continue;
  }
  const r = JSON.parse(readFileSync(report, "utf8"));
  // A test file that fails to load reports no tests: count it as one failure.
  const broken = r.numFailedTests === 0 ? r.numFailedTestSuites : 0;
  const s = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  passed += r.numPassedTests;
  failed += r.numFailedTests + broken;
  skipped += s;
  rows.push(
    `${relative(root, report)}: ${r.numPassedTests} passed, ${r.numFailedTests + broken} failed, ${s} skipped`,
  );
}
if (runStatus !== 0 && failed === 0) {
  failed += 1;
  rows.push(`the test run exited ${runStatus} outside any test (lint, typecheck or build failed)`);
}
for (const row of rows) console.log(`  ${row}`);
if (passed === 0) console.log("  no test passed: a run that executes no test is a failure");
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 || passed === 0 || runStatus !== 0 ? 1 : 0);
