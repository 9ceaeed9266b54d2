import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { attwProblems, packTarball, publintMessages } from "@meeting-control/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const dir = fileURLToPath(new URL("..", import.meta.url));

describe("the published @meeting-control/mock", () => {
  // One `pnpm pack` for both checks: what they look at is what `pnpm publish` would upload.
  let tarball = "";
  beforeAll(async () => {
    tarball = await packTarball(dir);
  });
  afterAll(async () => {
    if (tarball) await rm(dirname(tarball), { recursive: true, force: true });
  });

  it("is clean under publint --strict", async () => {
    expect(await publintMessages(dir, tarball)).toEqual([]);
  });

  it("ships types that resolve (attw, ESM-only)", async () => {
    expect(await attwProblems(dir, "esm-only", tarball)).toEqual([]);
  });

  it("pins Prism's engine to releases that run on Node 20, for npm users too, and not its CLI", () => {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(manifest.dependencies).toEqual({
      "@meeting-control/spec": "workspace:*",
      "@stoplight/prism-core": "5.8.0",
      "@stoplight/prism-http": "5.12.0",
      "@stoplight/prism-http-server": "5.12.2",
    });
  });
});
