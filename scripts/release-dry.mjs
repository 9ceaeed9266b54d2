// `pnpm release:dry`: what a release would publish, without publishing or changing anything here.
// Builds, copies the workspace to a scratch directory, applies the pending changesets there (or a
// patch bump of every public package when there are none), and runs `pnpm publish --dry-run` for
// the four public packages, which lists each tarball's files.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const PUBLIC = {
  "@meeting-control/spec": "spec",
  "@meeting-control/client": "packages/client",
  "@meeting-control/mock": "packages/mock",
  "@meeting-control/cli": "packages/cli",
};
const pnpm = process.env.npm_execpath;
/** @param {string[]} args @param {string} cwd */
const run = (args, cwd) =>
  execFileSync(
    pnpm ? process.execPath : "npx",
    pnpm ? [pnpm, ...args] : ["--yes", "pnpm@10", ...args],
    {
      cwd,
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, npm_config_yes: "true" },
    },
  );
/** @param {string} dir @param {string} path */
const version = (dir, path) =>
  JSON.parse(readFileSync(join(dir, path, "package.json"), "utf8")).version;

console.log("== build");
run(["build"], root);

const scratch = mkdtempSync(join(tmpdir(), "meeting-control-release-"));
try {
  console.log(`== scratch copy: ${scratch}`);
  const skip =
    /(^|\/)(node_modules|\.git|\.turbo|test-results|\.samples-[^/]*|\.readme-check-[^/]*)$/;
  cpSync(root, scratch, { recursive: true, filter: (src) => !skip.test(relative(root, src)) });
  run(["install", "--offline", "--frozen-lockfile", "--ignore-scripts"], scratch);

  const pending = readdirSync(join(scratch, ".changeset")).filter(
    (f) => f.endsWith(".md") && f !== "README.md",
  );
  if (pending.length === 0) {
    console.log("== no pending changesets: a patch bump of every public package, for the dry run");
    writeFileSync(
      join(scratch, ".changeset", "release-dry-run.md"),
      `---\n${Object.keys(PUBLIC)
        .map((name) => `"${name}": patch`)
        .join("\n")}\n---\n\nDry run.\n`,
    );
  }
  const before = Object.fromEntries(
    Object.entries(PUBLIC).map(([name, path]) => [name, version(scratch, path)]),
  );
  run(["exec", "changeset", "version"], scratch);

  console.log("== pnpm publish --dry-run");
  const filters = Object.keys(PUBLIC).flatMap((name) => ["--filter", name]);
  run(["-r", ...filters, "publish", "--dry-run", "--no-git-checks", "--access", "public"], scratch);

  console.log("\n== would publish");
  for (const [name, path] of Object.entries(PUBLIC)) {
    console.log(`  ${name.padEnd(26)} ${before[name]} → ${version(scratch, path)}`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
