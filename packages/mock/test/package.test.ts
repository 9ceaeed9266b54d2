import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { packageProblems } from "@meeting-control/testkit";
import { describe, expect, it } from "vitest";

const dir = fileURLToPath(new URL("..", import.meta.url));

describe("the published @meeting-control/mock", () => {
  it("is clean under publint --strict, and ships types that resolve (attw, ESM-only)", async () => {
    expect(await packageProblems(dir, { attw: "esm-only" })).toEqual({ publint: [], attw: [] });
  }, 300_000); // packing, publint and attw (limited to 180 s) on a loaded machine

  it("pins Prism's engine to releases that run on Node 20, for npm users too, and not its CLI", () => {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(manifest.dependencies).toEqual({
      "@meeting-control/spec": "workspace:*",
      "@stoplight/prism-core": "5.8.0",
      "@stoplight/prism-http": "5.12.0",
      "@stoplight/prism-http-server": "5.12.2",
      // The media-type parsers the engine uses, in its own ranges: no second copy is installed.
      "content-type": "^1.0.4",
      "whatwg-mimetype": "^3.0.0",
    });
  });

  it("is run as the README says, without an npx of an unscoped name another could publish", () => {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    const [command] = Object.keys(manifest.bin);
    const readmes = ["README.md", "../cli/README.md", "../client/README.md", "../../README.md"];
    for (const readme of readmes) {
      const text = readFileSync(new URL(`../${readme}`, import.meta.url), "utf8");
      // `npx <command>` runs the installed package's command; outside a project that has it,
      // npx would download a package named <command> from npm.
      // So the install comes before the first command line that runs it.
      const run = text.search(new RegExp(`^npx ${command}\\b`, "m"));
      if (run !== -1) {
        const install = text.indexOf(`npm install --save-dev ${manifest.name}`);
        expect(install, `${readme}: the install before the first npx ${command}`).not.toBe(-1);
        expect(install, readme).toBeLessThan(run);
      }
      for (const line of text.split("\n").filter((l) => /^npx\s/.test(l)))
        expect(line, readme).toMatch(new RegExp(`^npx (?:${command}|@meeting-control/|pnpm@)`));
    }
  });
});
