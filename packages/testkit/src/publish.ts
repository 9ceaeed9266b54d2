import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { packTarball } from "./pnpm.js";

/** Runs `check` on a tarball of `dir`: the one given, or a fresh one removed afterwards. */
async function withTarball<T>(
  dir: string,
  tarball: string | undefined,
  check: (tarball: string) => Promise<T>,
): Promise<T> {
  if (tarball) return check(tarball);
  const fresh = await packTarball(dir);
  try {
    return await check(fresh);
  } finally {
    await rm(dirname(fresh), { recursive: true, force: true });
  }
}

/**
 * publint's messages (strict: warnings count), formatted, for the package in `dir` as pnpm packs it:
 * `tarball` when the caller packed it already, else a fresh pack.
 */
export async function publintMessages(dir: string, tarball?: string): Promise<string[]> {
  return withTarball(dir, tarball, async (file) => {
    const bytes = await readFile(file);
    const { messages, pkg } = await publint({
      pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
      strict: true,
    });
    return messages.map((m) => {
      // publint sees only the tarball: a file that is in the folder but not in the package is
      // "missing" to it. Say what it is, as publint does when it lints the folder itself.
      const target = m.path.reduce<unknown>((node, key) => (node as never)?.[key], pkg);
      const unpublished =
        m.code === "FILE_DOES_NOT_EXIST" &&
        typeof target === "string" &&
        existsSync(join(dir, target));
      return formatMessage(unpublished ? { ...m, code: "FILE_NOT_PUBLISHED" } : m, pkg) ?? m.code;
    });
  });
}

/**
 * Are-the-types-wrong problems of the package in `dir` as packed (`tarball`, or a fresh pack):
 * an empty list when clean.
 */
export async function attwProblems(
  dir: string,
  profile?: "strict" | "node16" | "esm-only",
  tarball?: string,
): Promise<unknown[]> {
  const attw = join(dir, "node_modules/.bin/attw");
  const report = await withTarball(dir, tarball, async (file) => {
    const args = [file, "--format", "json", "--profile", profile ?? "strict"];
    // attw exits non-zero when it finds problems; its JSON report is on stdout either way.
    const { stdout } = await promisify(execFile)(attw, args, {
      cwd: dir,
      timeout: 180_000,
      maxBuffer: 64 * 1024 * 1024,
    }).catch((error: { stdout?: string; message: string }) => ({
      stdout: error.stdout || error.message,
    }));
    try {
      return JSON.parse(stdout);
    } catch {
      throw new Error(`attw gave no JSON report for ${file}:\n${stdout}`);
    }
  });
  // The JSON report lists problems for every resolution mode; a profile leaves some out.
  const ignoredBy: Record<string, string[]> = {
    strict: [],
    node16: ["node10"],
    "esm-only": ["node10", "node16-cjs"],
  };
  const ignored = ignoredBy[profile ?? "strict"] ?? [];
  return Object.values(report.problems ?? {})
    .flat()
    .filter(
      (problem) =>
        !ignored.includes(String((problem as { resolutionKind?: string }).resolutionKind)),
    );
}

/**
 * What is wrong with the package in `dir` as `pnpm publish` would upload it, from one pack:
 * publint's messages (strict), and with `attw` the are-the-types-wrong problems under that
 * profile ("strict": TypeScript's legacy node10 resolution too, as `"module": "commonjs"` implies;
 * "node16": CommonJS included; "esm-only"). `{ publint: [] }` (and `attw: []`) when clean.
 */
export async function packageProblems(
  dir: string,
  { attw }: { attw: "strict" | "node16" | "esm-only" | false },
): Promise<{ publint: string[]; attw?: unknown[] }> {
  return withTarball(dir, undefined, async (tarball) => ({
    publint: await publintMessages(dir, tarball),
    ...(attw ? { attw: await attwProblems(dir, attw, tarball) } : {}),
  }));
}
