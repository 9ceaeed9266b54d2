import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { publint } from "publint";
import { formatMessage } from "publint/utils";

/** publint's messages for the package in `dir` (strict: warnings count), formatted. */
export async function publintMessages(dir: string): Promise<string[]> {
  const { messages, pkg } = await publint({ pkgDir: dir, strict: true, pack: "pnpm" });
  return messages.map((m) => formatMessage(m, pkg) ?? m.code);
}

/** Are-the-types-wrong problems of the packed package in `dir` (an empty list when clean). */
export async function attwProblems(
  dir: string,
  profile?: "node16" | "esm-only",
): Promise<unknown[]> {
  const attw = join(dir, "node_modules/.bin/attw");
  const args = ["--pack", ".", "--format", "json", ...(profile ? ["--profile", profile] : [])];
  // attw exits non-zero when it finds problems; its JSON report is on stdout either way.
  const { stdout } = await promisify(execFile)(attw, args, {
    cwd: dir,
    env: { ...process.env, npm_config_yes: "true" },
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: { stdout: string }) => error);
  const report = JSON.parse(stdout);
  // The JSON report lists problems for every resolution mode; a profile leaves some out.
  const ignored =
    { node16: ["node10"], "esm-only": ["node10", "node16-cjs"] }[profile ?? "node16"] ?? [];
  return Object.values(report.problems ?? {})
    .flat()
    .filter(
      (problem) =>
        !ignored.includes(String((problem as { resolutionKind?: string }).resolutionKind)),
    );
}
