// Type-checks every ```ts snippet of README.md against the built package, as a user would
// import it. The snippets live in a temporary directory inside this package so that
// "@meeting-control/client" resolves through the package's own `exports` (TypeScript
// self-reference) to dist/*.d.ts: run `tsup` (the `build` script) first.
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { typecheck } from "@meeting-control/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error the table's generator is a plain ESM script without type declarations
import { renderReadme } from "../scripts/runtimes-table.mjs";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

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

  it("has the Runtimes table of the pinned runtimes (run `pnpm generate` if not)", () => {
    expect(readme).toContain("| Deno | ");
    expect(renderReadme(readme)).toBe(readme);
  });

  it("has snippets that type-check against the built package", async () => {
    expect(
      existsSync(join(packageDir, "dist/index.d.ts")),
      "dist/index.d.ts is missing: build the package (tsup) before this test",
    ).toBe(true);

    const sources = Object.fromEntries(snippets.map((code, i) => [`snippet-${i + 1}.ts`, code]));
    const result = await typecheck(dir, sources, {
      lib: ["ES2022", "DOM", "DOM.Iterable"],
      noImplicitOverride: true,
      verbatimModuleSyntax: true,
      isolatedModules: true,
      types: ["node"],
    });
    // tsc names the snippet (snippet-N.ts is the Nth ```ts block of the README) and the line.
    expect(result.errors, `tsc failed on README snippets:\n${result.output}`).toEqual([]);
    expect(result.code, result.output).toBe(0);
  }, 240_000); // above typecheck's own 180 s limit, so a slow tsc is reported as such
});
