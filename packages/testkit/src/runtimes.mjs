// Plain JavaScript, so that .ci/run and a developer can run it with no build:
//   node packages/testkit/src/runtimes.mjs [name…]
// fetches the named runtimes (all of them by default) that are not there yet.
//
// The runtimes the packages are tested on are pinned in ../runtimes.json, the one place: the
// client README's "Runtimes" table is generated from it. Their binaries come from the npm registry
// into node_modules/.cache, never through `pnpm install` (together they weigh hundreds of MB).
import { execFile } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

/** @type {import("./runtimes.d.mts").Pins} */
export const RUNTIMES = JSON.parse(
  readFileSync(new URL("../runtimes.json", import.meta.url), "utf8"),
);

/** The runtimes fetched at a pinned version, in the order of the README's table. */
export const PINNED = /** @type {const} */ (["bun", "deno", "workerd"]);

const cache = fileURLToPath(new URL("../../../node_modules/.cache/", import.meta.url));

/** @param {string} prefix @param {{ package: string, bin: string }} pin */
const binary = (prefix, pin) => join(prefix, "node_modules", pin.package, pin.bin);

/** @param {string} major */
export const nodePrefix = (major) => join(cache, "node-matrix", `node${major}`);

/** @param {import("./runtimes.d.mts").PinnedName} name */
export const runtimePrefix = (name) => join(cache, "runtimes", `${name}@${RUNTIMES[name].version}`);

/** @param {import("./runtimes.d.mts").PinnedName} name */
export const runtimePath = (name) => binary(runtimePrefix(name), RUNTIMES[name]);

/** @param {string} name */
export const fetchCommand = (name) => `node packages/testkit/src/runtimes.mjs ${name}`;

export const onLinuxX64 = () => `${process.platform}-${process.arch}` === "linux-x64";

/** workerd's newest compatibility date: its release date, which its version carries (1.YYYYMMDD.n). */
export const workerdCompatibilityDate = () =>
  RUNTIMES.workerd.version.replace(/^1\.(\d{4})(\d\d)(\d\d)\.\d+$/, "$1-$2-$3");

/** @param {NodeJS.ProcessEnv} env */
const inCI = (env) => Boolean(env.CI) && env.CI !== "false";

/**
 * Installs `pin.package@version` into `prefix` with npm unless its binary is there already, and
 * resolves with the binary's path. Each call installs into a folder of its own and renames it into
 * place, so two processes fetching the same runtime cannot clash; one retry, as a download can fail.
 * @param {string} prefix @param {{ package: string, bin: string }} pin @param {string} version
 * @param {NodeJS.ProcessEnv} [env] the user's proxy and CA settings included
 */
export async function install(prefix, pin, version, env = process.env) {
  const path = binary(prefix, pin);
  const spec = `${pin.package}@${version}`;
  for (let attempt = 1; !existsSync(path); attempt++) {
    mkdirSync(dirname(prefix), { recursive: true });
    const scratch = mkdtempSync(`${prefix}-`);
    const args = ["install", "--prefix", scratch, "--no-save", "--no-audit", "--no-fund"];
    const result = await promisify(execFile)("npm", [...args, "--no-package-lock", spec], {
      env,
      timeout: 300_000,
    }).catch((/** @type {Error & { stderr?: string }} */ error) => error);
    try {
      // Only a complete install goes into place: a failed one must not block the retry.
      if (!existsSync(binary(scratch, pin))) throw result;
      renameSync(scratch, prefix);
    } catch {
      rmSync(scratch, { recursive: true, force: true }); // failed, or another process got there first
    }
    if (!existsSync(path) && attempt >= 2) {
      const reason = "stderr" in result ? result.stderr : "";
      throw new Error(`could not install ${spec} from the npm registry: ${reason}`);
    }
  }
  return path;
}

/**
 * Bun, Deno and workerd at their pinned versions, each with its binary's path when it has been
 * fetched. On a developer's machine a runtime not fetched is skipped, and one line says so and
 * how to fetch it; in CI (`CI` set) nothing is skipped: a missing runtime fails its tests.
 * @param {NodeJS.ProcessEnv} [env]
 */
export function pinnedRuntimes(env = process.env) {
  return PINNED.map((name) => {
    const { title, version } = RUNTIMES[name];
    const present = onLinuxX64() && existsSync(runtimePath(name));
    const skip = !present && !inCI(env);
    if (skip) {
      const why = onLinuxX64()
        ? `not fetched; \`${fetchCommand(name)}\` fetches it`
        : "only linux-x64 binaries are fetched";
      console.warn(`[runtimes] SKIPPED ${title} ${version}: ${why}`);
    }
    return { name, title, version, path: present ? runtimePath(name) : undefined, skip };
  });
}

/** Bytes under `dir`, as `du` counts them less the blocks. @param {string} dir */
const size = (dir) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);

/** Every runtime this script fetches, by name ("node22", "bun"…): where, what and which version. */
const targets = Object.fromEntries([
  ...RUNTIMES.node.majors.map((major) => [
    `node${major}`,
    { prefix: nodePrefix(major), pin: RUNTIMES.node, version: major },
  ]),
  ...PINNED.map((name) => [
    name,
    { prefix: runtimePrefix(name), pin: RUNTIMES[name], version: RUNTIMES[name].version },
  ]),
]);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!onLinuxX64()) throw new Error("only linux-x64 binaries are fetched");
  // By default every runtime but this machine's own Node.
  const own = `node${process.versions.node.split(".")[0]}`;
  const names = process.argv.length > 2 ? process.argv.slice(2) : Object.keys(targets);
  let total = 0;
  const fetched = await Promise.allSettled(
    names
      .filter((name) => process.argv.length > 2 || name !== own)
      .map(async (name) => {
        const target = targets[name];
        if (!target)
          throw new Error(`no runtime named ${name}: ${Object.keys(targets).join(", ")}`);
        const there = existsSync(binary(target.prefix, target.pin));
        const path = await install(target.prefix, target.pin, target.version);
        const bytes = size(target.prefix);
        total += bytes;
        const how = there ? "there already" : "fetched";
        console.log(`${name} ${target.version}: ${how}, ${(bytes / 1e6).toFixed(0)} MB, ${path}`);
      }),
  );
  console.log(`runtimes: ${(total / 1e6).toFixed(0)} MB in node_modules/.cache`);
  for (const result of fetched)
    if (result.status === "rejected") console.error(String(result.reason));
  process.exitCode = fetched.some((result) => result.status === "rejected") ? 1 : 0;
}
