import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { packageProblems } from "@meeting-control/testkit";
import { describe, expect, it } from "vitest";

const dir = fileURLToPath(new URL("..", import.meta.url));

describe("the published @meeting-control/cli", () => {
  it("is clean under publint --strict", async () => {
    expect(await packageProblems(dir, { attw: false })).toEqual({ publint: [] });
  }, 300_000); // packing, publint and attw (limited to 180 s) on a loaded machine

  it("declares the meeting-control bin, which the build produces", () => {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(manifest.bin).toEqual({ "meeting-control": "./dist/cli.js" });
    expect(existsSync(new URL(`../${manifest.bin["meeting-control"]}`, import.meta.url))).toBe(
      true,
    );
  });
});
