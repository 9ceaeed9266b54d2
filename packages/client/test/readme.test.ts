// Type-checks every ```ts snippet of README.md against the built package, as a user would
// import it. The snippets live in a temporary directory inside this package so that
// "@meeting-control/client" resolves through the package's own `exports` (TypeScript
// self-reference) to dist/*.d.ts: run `tsup` (the `build` script) first.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL("..", import.meta.url));
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

const readme = await readFile(join(packageDir, "README.md"), "utf8");
const snippets = [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? "");

describe("README.md", () => {
  let dir = "";

  beforeAll(async () => {
    dir = await mkdtemp(join(packageDir, ".readme-check-"));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("has a snippet for every operation", () => {
    expect(snippets.length).toBeGreaterThanOrEqual(4);
    for (const name of [
      "inviteCamera",
      "inviteScreenShare",
      "createConfToken",
      "InviteOperateVideo",
      "InviteShare",
      "CreateConfToken",
    ]) {
      expect(readme).toContain(name);
    }
  });

  it("has snippets that type-check against the built package", async () => {
    expect(
      existsSync(join(packageDir, "dist/index.d.ts")),
      "dist/index.d.ts is missing: build the package (tsup) before this test",
    ).toBe(true);

    const files = snippets.map((_, index) => `snippet-${index + 1}.ts`);
    await Promise.all(
      snippets.map((code, index) => writeFile(join(dir, files[index] ?? ""), code)),
    );
    const tsconfig = {
      compilerOptions: {
        target: "ES2022",
        lib: ["ES2022", "DOM", "DOM.Iterable"],
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        noUncheckedIndexedAccess: true,
        noImplicitOverride: true,
        verbatimModuleSyntax: true,
        isolatedModules: true,
        skipLibCheck: true,
        noEmit: true,
        types: ["node"],
      },
      files,
    };
    await writeFile(join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));

    const result = await run(
      process.execPath,
      [tsc, "-p", join(dir, "tsconfig.json"), "--pretty", "false"],
      {
        cwd: dir,
      },
    ).then(
      ({ stdout }) => ({ code: 0, output: stdout }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({
        code: error.code ?? 1,
        output: `${error.stdout ?? ""}${error.stderr ?? ""}`,
      }),
    );
    // tsc names the snippet (snippet-N.ts is the Nth ```ts block of the README) and the line.
    expect(result.code, `tsc failed on README snippets:\n${result.output}`).toBe(0);
  });
});
