import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { packageProblems } from "@meeting-control/testkit";
import { describe, expect, it } from "vitest";

const pkgDir = fileURLToPath(new URL("..", import.meta.url));
const require = createRequire(import.meta.url);

describe("the published package", () => {
  it("is clean under publint --strict, and its types resolve everywhere, CommonJS and the legacy node10 resolution included (attw)", async () => {
    expect(await packageProblems(pkgDir, { attw: "strict" })).toEqual({ publint: [], attw: [] });
  }, 300_000); // packing, publint and attw (limited to 180 s) on a loaded machine

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
