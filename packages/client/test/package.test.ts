import { rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { attwProblems, packTarball, publintMessages } from "@meeting-control/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const pkgDir = fileURLToPath(new URL("..", import.meta.url));
const require = createRequire(import.meta.url);

describe("the published package", () => {
  // One `pnpm pack` for both checks: what they look at is what `pnpm publish` would upload.
  let tarball = "";
  beforeAll(async () => {
    tarball = await packTarball(pkgDir);
  });
  afterAll(async () => {
    if (tarball) await rm(dirname(tarball), { recursive: true, force: true });
  });

  it("is clean under publint --strict", async () => {
    expect(await publintMessages(pkgDir, tarball)).toEqual([]);
  });

  it("resolves its types correctly everywhere, CommonJS included (attw)", async () => {
    expect(await attwProblems(pkgDir, "node16", tarball)).toEqual([]);
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
