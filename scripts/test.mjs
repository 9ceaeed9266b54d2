// The root `test` script: runs the turbo command it is given (plus any arguments after
// `pnpm test`), then ends with one line, `N passed, N failed[, N skipped]`, that counts every test
// of the run (scripts/test-summary.mjs). Exits non-zero on any failure, and when no test ran.
//
// Which reports count: those of the packages in the run's scope (turbo's run summary, written
// with --summarize, names them) that have a test script. Every package's old report is removed
// first, so a report on disk afterwards is this run's: written by its tests, or restored by turbo
// from its cache for the same inputs. A package whose tests did not run (a task they depend on
// failed, or they crashed before reporting) has none and counts as failed.
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { processTree } from "./process-tree.mjs";
import {
  packagesWithTests,
  reportPath,
  root,
  save,
  succeeded,
  summarize,
  summaryLine,
} from "./test-summary.mjs";

const [command = "turbo", ...args] = process.argv.slice(2);
const runs = join(root, ".turbo", "runs");
const listRuns = () => {
  try {
    return readdirSync(runs).filter((name) => name.endsWith(".json"));
  } catch {
    return [];
  }
};

const withTests = packagesWithTests();
for (const { dir } of withTests) rmSync(reportPath(dir), { force: true });
rmSync(join(root, "test-results", "summary.json"), { force: true });
const before = new Set(listRuns());
const summarizing = args.some((arg) => arg.startsWith("--summarize"));

const child = spawn(command, [...args, ...(summarizing ? [] : ["--summarize"])], {
  cwd: root,
  stdio: "inherit",
  // Part of the test tasks' hash (turbo.json), with CI and NODE_MATRIX: a run on another Node,
  // or one that runs the Node matrix, is not replayed from a cache filled by another.
  env: { ...process.env, TEST_NODE_VERSION: process.version },
});

// Ctrl-C. The terminal's SIGINT reaches this script and turbo (one process group), not the tasks:
// turbo runs each in a group of its own (in a terminal, on a pty of its own) and passes the signal
// on itself, one task after another (the last a second or two later), and in a terminal only to
// the task's pnpm, whose `sh -c` waits for the script instead of passing it on; with a terminal on
// stdin, turbo then waits for its tasks with no time limit, until a second Ctrl-C. So this script
// interrupts every process group of the run at once, gives turbo that second Ctrl-C after GRACE_MS
// and, FORCE_MS later, kills whatever of the run is still there; once turbo has gone, it kills what
// outlived it (a test's detached Prism, Chromium or `pnpm start`) at once. A second Ctrl-C skips
// the wait.
const GRACE_MS = 2000;
const FORCE_MS = 1000;
const started = processTree(child.pid ?? 0);
// Noted every second as well: a test's detached process whose parent dies at the same Ctrl-C (the
// demo's `pnpm start`) moves to init, out of reach of a look taken after that.
if (process.platform !== "win32") setInterval(started.note, 1000).unref();
/** @type {NodeJS.Signals | undefined} */
let stopping;
// Killed a few times over: a process can start another between a look and the kill.
const leave = async () => {
  for (let pass = 0; pass < 5 && started.kill() > 0; pass++)
    await new Promise((r) => setTimeout(r, 50));
  process.exit(stopping === "SIGTERM" ? 143 : 130);
};
/** @param {NodeJS.Signals} signal */
const stop = (signal) => {
  if (stopping) return leave();
  stopping = signal;
  started.signalGroups(signal);
  if (signal === "SIGTERM") child.kill("SIGTERM"); // turbo's launcher passes it on
  setTimeout(() => {
    for (const pid of started.children()) {
      try {
        process.kill(pid, "SIGINT");
      } catch {}
    }
    setTimeout(leave, FORCE_MS);
  }, GRACE_MS);
};
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
child.once("error", (error) => {
  console.error(`could not run ${command}: ${error.message}`);
  process.exit(1);
});
child.once("exit", (code, signal) => {
  if (stopping || signal === "SIGINT" || code === 130) {
    stopping ??= "SIGINT";
    return leave();
  }
  const status = code ?? 1;

  // This run's summary: the file turbo has just added to .turbo/runs (and named in its output).
  const added = listRuns()
    .filter((name) => !before.has(name))
    .sort();
  /** @type {{ packages?: string[], tasks?: { taskId: string, execution?: { exitCode?: number } }[] }} */
  let run = {};
  // Run ids sort by time: the newest is this run's.
  if (added.length) run = JSON.parse(readFileSync(join(runs, added.at(-1) ?? ""), "utf8"));
  const inScope = withTests.filter(({ name }) => run.packages?.includes(name) ?? true);
  const tests = inScope.map(({ dir, name }) => {
    const task = run.tasks?.find((t) => t.taskId === `${name}#test`);
    const why = !run.packages
      ? "the test run stopped before its tests ran"
      : task?.execution
        ? `its test task exited ${task.execution.exitCode} before writing one`
        : "its tests did not run: a task they depend on failed";
    return { dir, why };
  });

  const sums = summarize(tests, status);
  for (const row of sums.rows) console.log(`  ${row}`);
  if (process.env.TEST_SUMMARY_LINE === "later") {
    mkdirSync(join(root, "test-results"), { recursive: true });
    save(sums);
  } else {
    console.log(summaryLine(sums));
  }
  process.exit(succeeded(sums) && status === 0 ? 0 : 1);
});
