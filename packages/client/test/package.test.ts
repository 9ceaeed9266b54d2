import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { describe, expect, it } from "vitest";

const pkgDir = fileURLToPath(new URL("..", import.meta.url));
const require = createRequire(import.meta.url);

describe("the published package", () => {
  it("is clean under publint --strict", async () => {
    const { messages, pkg } = await publint({ pkgDir, strict: true, pack: "pnpm" });
    expect(messages.map((m) => formatMessage(m, pkg))).toEqual([]);
  });

  it("resolves its types correctly everywhere (attw)", async () => {
    const attw = fileURLToPath(new URL("../node_modules/.bin/attw", import.meta.url));
    const run = promisify(execFile)(attw, ["--pack", ".", "--format", "json"], {
      cwd: pkgDir,
      env: { ...process.env, npm_config_yes: "true" },
      maxBuffer: 64 * 1024 * 1024,
    });
    // attw exits non-zero when it finds problems; its JSON report is on stdout either way.
    const { stdout, stderr } = await run.catch(
      (error: { stdout: string; stderr: string }) => error,
    );
    expect(stdout, `attw printed no report: ${stderr}`).toMatch(/^\{/);
    const report = JSON.parse(stdout);
    expect(Object.values(report.problems ?? {}).flat()).toEqual([]);
    expect(Object.keys(report.analysis.entrypoints)).toContain(".");
  });

  it("declares what npm and bundlers need", () => {
    const manifest = require("../package.json");
    expect(manifest).toMatchObject({
      name: "@meeting-control/client",
      type: "module",
      sideEffects: false,
      license: "MIT",
      engines: { node: expect.stringMatching(/^>=20/) },
    });
    expect(manifest.dependencies).toEqual({ "openapi-fetch": expect.any(String) });
    expect(manifest.files).toContain("dist");
  });
});
