import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";

/**
 * The pnpm that runs these tests, as `[command, ...args]`: `pnpm run` names itself in
 * `npm_execpath`. Never a second `npx pnpm@10`, which races other test processes for npx's cache
 * and was seen failing on a busy machine. Outside pnpm, the `pnpm` on PATH.
 */
export function pnpmCommand(env: NodeJS.ProcessEnv = process.env): [string, ...string[]] {
  const execpath = env.npm_execpath ?? "";
  if (!/^pnpm/.test(basename(execpath))) return ["pnpm"];
  return /\.[cm]?js$/.test(execpath) ? [process.execPath, execpath] : [execpath];
}

/**
 * Packs the package in `dir` with pnpm (which writes real versions for `workspace:` and `catalog:`
 * ranges, as publishing does) into `destination`, a new temporary folder by default, and returns
 * the tarball's path.
 */
export async function packTarball(dir: string, destination?: string): Promise<string> {
  const into = destination ?? (await mkdtemp(join(tmpdir(), "meeting-control-pack-")));
  const [command, ...args] = pnpmCommand();
  try {
    const output = await new Promise<string>((resolve, reject) => {
      execFile(
        command,
        [...args, "pack", "--pack-destination", into],
        { cwd: dir, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => {
          if (!error) return resolve(stdout);
          const hint =
            (error as NodeJS.ErrnoException).code === "ENOENT"
              ? " (no pnpm found: run the tests through pnpm, e.g. `npx pnpm@10 test`)"
              : "";
          reject(
            new Error(`pnpm pack in ${dir} failed${hint}: ${error.message}\n${stdout}${stderr}`),
          );
        },
      );
    });
    const tarball = (await readdir(into)).find((name) => name.endsWith(".tgz"));
    if (!tarball) throw new Error(`pnpm pack wrote no tarball into ${into}:\n${output}`);
    return join(into, tarball);
  } catch (error) {
    if (!destination) await rm(into, { recursive: true, force: true });
    throw error;
  }
}
