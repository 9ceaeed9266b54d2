import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cli, IDS, service } from "./helpers.js";

const README = readFileSync(new URL("../README.md", import.meta.url), "utf8");

describe("the README keeps up with the CLI", () => {
  it("documents every flag and variable the help lists", async () => {
    const { stdout } = await cli(["--help"]);
    const flags = new Set(stdout.match(/--[a-z][a-z-]+/g));
    const variables = new Set(stdout.match(/\bMEETING_[A-Z_]+/g));
    expect(flags.size).toBeGreaterThan(8);
    for (const name of [...flags, ...variables, "MEETING_CONTROL_PREFER"]) {
      expect(README).toContain(`\`${name}`);
    }
  });

  it("is right that --help and --version print text with --json too", async () => {
    const help = await cli(["--json", "--help"]);
    const version = await cli(["--version", "--json"]);
    expect(help.stdout).toBe((await cli(["--help"])).stdout);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
    expect(README).toContain("`--help` and `--version` are no command: they print text");
  });

  it("shows a success line and a usage error exactly as the CLI prints them", async () => {
    const env = { MEETING_CONTROL_TOKEN: "any-token" };
    for (const argv of [
      ["camera", "enable", ...IDS],
      ["camera", "on", ...IDS],
    ]) {
      const { stdout, stderr } = await cli(argv, { env, fetch: service() });
      expect(README).toContain((stdout + stderr).trimEnd());
    }
  });
});
