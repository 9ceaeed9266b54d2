// What a user gets from npm: the built package packed as `pnpm publish` packs it, and installed
// from its tarball into a project outside the workspace, where only that project's node_modules
// can resolve anything. Needs the built dist (run `tsup` first) and the npm registry (for
// openapi-fetch).
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { npmEnv, packTarball } from "@meeting-control/testkit";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

export interface Result {
  code: number;
  output: string;
}

/**
 * Runs a command to completion; never throws, so a failure can show its output. The timeout only
 * stops a hung command: it is sized for a loaded 2-core machine, not for how long a run should take.
 */
export const exec = (
  file: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeout?: number },
) =>
  new Promise<Result>((resolve) => {
    execFile(file, args, { timeout: 180_000, ...options }, (error, stdout, stderr) => {
      // A signal, a timeout or a missing command leave no exit code: report them as -1.
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      resolve({ code, output: `${stdout}${stderr}${code === -1 ? String(error?.message) : ""}` });
    });
  });

/**
 * Packs the package and installs the tarball into `<dir>/consumer`, a new ESM project in a new
 * temporary `dir`; `remove()` deletes it all.
 */
export async function installPacked() {
  if (!existsSync(join(packageDir, "dist/index.js"))) {
    throw new Error("dist/ is missing: build the package (tsup) before this test");
  }
  const dir = await mkdtemp(join(tmpdir(), "meeting-control-pack-"));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    const consumer = join(dir, "consumer");
    // The pnpm running this test packs it, as `pnpm publish` would pack it.
    const tarball = await packTarball(packageDir, dir);
    await mkdir(consumer);
    await writeFile(
      join(consumer, "package.json"),
      JSON.stringify({ name: "consumer", private: true, type: "module" }),
    );
    const install = await exec("npm", ["install", "--no-audit", "--no-fund", tarball], {
      cwd: consumer,
      env: npmEnv(),
      timeout: 240_000,
    });
    if (install.code !== 0) throw new Error(`npm install failed:\n${install.output}`);
    return { dir, consumer, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
