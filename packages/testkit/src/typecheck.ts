import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const typescriptLib = join(dirname(tsc), "../lib");

/** A strict project of a user's, on Node's module rules; a caller adds or overrides options. */
const DEFAULTS = {
  target: "ES2022",
  module: "NodeNext",
  moduleResolution: "NodeNext",
  strict: true,
  noUncheckedIndexedAccess: true,
  skipLibCheck: true,
  noEmit: true,
};

export interface TypecheckResult {
  /** tsc's exit code: 0 when every file type-checks; -1 when tsc did not run to the end. */
  code: number;
  /** tsc's output, stdout and stderr. */
  output: string;
  /**
   * tsc's error lines: `file(line,col): error TS…` with the file relative to `dir`, or
   * `error TS…` for the project as a whole.
   */
  errors: string[];
  /** The files tsc read, absolute, TypeScript's own lib files left out. */
  files: string[];
}

/**
 * Writes `sources` (a path relative to `dir` → its text) and a tsconfig.json listing them into
 * `dir`, then runs the workspace's tsc there. Never throws for a type error: a test reads
 * `errors`, so a file written to fail can sit beside the ones that must pass (tsc reports each
 * file's errors against that file). `dir` decides what the files can import: inside a package,
 * that package and its dependencies; elsewhere, only `dir`'s own node_modules.
 */
export async function typecheck(
  dir: string,
  sources: Record<string, string>,
  compilerOptions: Record<string, unknown> = {},
): Promise<TypecheckResult> {
  for (const [name, text] of Object.entries(sources)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  const tsconfig = {
    compilerOptions: { ...DEFAULTS, ...compilerOptions },
    files: Object.keys(sources),
  };
  await writeFile(join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  const args = [tsc, "-p", "tsconfig.json", "--pretty", "false", "--listFiles"];
  // The timeout only stops a hung tsc: it is sized for a loaded 2-core machine.
  const { code, output } = await new Promise<{ code: number; output: string }>((resolve) =>
    execFile(process.execPath, args, { cwd: dir, timeout: 180_000 }, (error, stdout, stderr) => {
      const failed = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      resolve({ code: failed, output: `${stdout}${stderr}${failed === -1 ? error?.message : ""}` });
    }),
  );
  const lines = output.split("\n");
  return {
    code,
    output: lines.filter((line) => !line.startsWith("/")).join("\n"),
    errors: lines.filter((line) => /^\S.*error TS\d+/.test(line)),
    files: lines.filter((line) => line.startsWith("/") && !line.startsWith(typescriptLib)),
  };
}
