import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The workspace's root folder: the nearest one above this kit with a pnpm-workspace.yaml. */
export function workspaceRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "pnpm-workspace.yaml"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("no pnpm-workspace.yaml above the testkit");
    dir = parent;
  }
  return dir;
}

/** The folder of every workspace package: the `packages` entries of pnpm-workspace.yaml. */
export function workspacePackages(root = workspaceRoot()): string[] {
  const yaml = readFileSync(join(root, "pnpm-workspace.yaml"), "utf8");
  const block = /^packages:\n((?:\s+-.*\n)+)/m.exec(yaml)?.[1] ?? "";
  // Entries are a folder ("spec") or a folder's children ("packages/*"), as this workspace writes them.
  return block
    .split("\n")
    .map((line) => line.replace(/^\s*-\s*/, "").replace(/^["']|["']$/g, ""))
    .filter(Boolean)
    .flatMap((entry) =>
      entry.endsWith("/*")
        ? readdirSync(join(root, entry.slice(0, -2)), { withFileTypes: true })
            .filter((d) => d.isDirectory())
            .map((d) => join(root, entry.slice(0, -2), d.name))
        : [join(root, entry)],
    )
    .filter((dir) => existsSync(join(dir, "package.json")));
}
