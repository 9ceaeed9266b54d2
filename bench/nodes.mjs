// The Node versions §1 and §2 run on, and running a section on one, in a process of its own
// (section.mjs): the majors pinned in @meeting-control/testkit's runtimes.json. One other than this
// process's is the official binary from the npm registry, where the tests' Node matrix keeps it
// (node_modules/.cache/node-matrix), fetched there by testkit's runtimes.mjs when missing.
import { once } from "node:events";
import { homedir } from "node:os";
import { fileURLToPath } from "node:url";
import { install, nodePrefix, onLinuxX64, RUNTIMES } from "@meeting-control/testkit/runtimes";
import { spawnTracked } from "./children.mjs";
import { log } from "./stats.mjs";

/** The majors the packages are tested on; the first is the one the acceptance targets name. */
export const MAJORS = RUNTIMES.node.majors;

/** The `node` of a major: this one, or the matrix's, fetched when missing. @param {string} major */
export async function nodeBinary(major) {
  if (process.versions.node.split(".")[0] === major) return process.execPath;
  if (!onLinuxX64()) throw new Error(`Node ${major}: only linux-x64 binaries are fetched`);
  // Without what `pnpm run` adds for its own script (npm_config_* pointing at the workspace) but
  // with the user's registry, cache, TLS and proxy settings; and with HOME, which holds npm's
  // cache and which turbo's strict env may not pass on.
  const keep = /^npm_config_(registry|cache|userconfig|cafile|ca|strict_ssl|.*proxy)$/i;
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^p?npm_/i.test(key) || keep.test(key)),
  );
  log(`Node ${major}: node_modules/.cache/node-matrix (fetched from the npm registry if missing)`);
  return install(nodePrefix(major), RUNTIMES.node, major, {
    ...env,
    HOME: process.env.HOME ?? homedir(),
  });
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
