import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { loadSpec, specPath } from "@meeting-control/spec";
import { packageProblems } from "@meeting-control/testkit";
import { describe, expect, it } from "vitest";

const dir = fileURLToPath(new URL("..", import.meta.url));
const require = createRequire(import.meta.url);

describe("the published @meeting-control/spec", () => {
  it("is clean under publint --strict", async () => {
    expect(await packageProblems(dir, { attw: false })).toEqual({ publint: [] });
  }, 300_000); // packing and publint on a loaded machine

  it("exports the bundle as YAML and JSON, the same document", () => {
    const json = JSON.parse(
      readFileSync(require.resolve("@meeting-control/spec/openapi.json"), "utf8"),
    );
    const yaml = readFileSync(require.resolve("@meeting-control/spec/openapi.yaml"), "utf8");
    expect(json.openapi).toBe("3.1.0");
    expect(yaml).toMatch(/^openapi: 3\.1\.0$/m);
  });

  it("exports where the bundle is and the parsed document, from its main entry", () => {
    expect(specPath()).toBe(require.resolve("@meeting-control/spec/openapi.json"));
    expect(specPath("yaml")).toBe(require.resolve("@meeting-control/spec/openapi.yaml"));
    const spec = loadSpec();
    expect(spec).toEqual(JSON.parse(readFileSync(specPath(), "utf8")));
    expect(Object.keys(spec.paths)).toContain("/v1/mmc/control/conferences/token");
    spec.openapi = "changed";
    expect(loadSpec().openapi, "each call a fresh copy").toBe("3.1.0");
  });

  it("has a README naming the three operations", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    for (const op of ["InviteOperateVideo", "InviteShare", "CreateConfToken"])
      expect(readme).toContain(op);
  });
});
