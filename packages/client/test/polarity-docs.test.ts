import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadSpec } from "@meeting-control/spec";
import { workspaceRoot } from "@meeting-control/testkit";
import { describe, expect, it } from "vitest";
import { POLARITY, TOKEN_LIFETIME_MS } from "../src/generated/facts.js";

// The READMEs explain the 0/1 polarity in prose and tables a reader trusts; each table row that
// states it is checked against the spec's facts, so a spec change cannot leave a README lying.

const read = (path: string) => readFileSync(join(workspaceRoot(), path), "utf8");
/** The friendly action a README's wording names ("turn the camera **on**" is enable). */
const ACTION_WORDS: Record<string, RegExp> = {
  enable: /\bon\b/,
  disable: /\boff\b/,
  invite: /\binvite\b/i,
  cancel: /\bcancel\b/i,
};
const wire = (operation: keyof typeof POLARITY, action: string) =>
  (POLARITY[operation] as unknown as Record<string, number>)[action];

describe("the READMEs state the spec's polarity", () => {
  it("client README: each method's action sends the body the spec gives it", () => {
    const rows = [
      ...read("packages/client/README.md").matchAll(
        /^\| `(inviteCamera|inviteScreenShare)`\s*\| `"(\w+)"`\s*\| `\{"(\w+)": (\d)\}`\s*\|/gm,
      ),
    ];
    expect(rows).toHaveLength(4);
    for (const [, method, action = "", field, value] of rows) {
      const operation = method === "inviteCamera" ? "InviteOperateVideo" : "InviteShare";
      expect(field, `${method} ${action}`).toBe(POLARITY[operation].field);
      expect(Number(value), `${method} ${action}`).toBe(wire(operation, action));
    }
  });

  it("root README: what 0 and 1 mean for each operation", () => {
    const rows = [
      ...read("README.md").matchAll(
        /^\| `(InviteOperateVideo|InviteShare)` \|[^|]*`\{"(\w+)": 0\\\|1\}` \| ([^|]+) \| ([^|]+) \|/gm,
      ),
    ];
    expect(rows).toHaveLength(2);
    for (const [, name, field, zero = "", one = ""] of rows) {
      const operation = name as keyof typeof POLARITY;
      expect(field).toBe(POLARITY[operation].field);
      for (const [meaning, value] of [
        [zero, 0],
        [one, 1],
      ] as const) {
        const actions = Object.keys(ACTION_WORDS).filter(
          (action) => wire(operation, action) === value,
        );
        expect(actions, `${name} ${value}`).toHaveLength(1);
        expect(meaning, `${name}: what ${value} means`).toMatch(
          ACTION_WORDS[actions[0] ?? ""] ?? /^$/,
        );
      }
    }
  });

  it("spec README: the words before each body value name its action", () => {
    const rows = [
      ...read("spec/README.md").matchAll(
        /^\| `(InviteOperateVideo|InviteShare)` \|[^|]*\| ([^|]+) \|/gm,
      ),
    ];
    expect(rows).toHaveLength(2);
    for (const [, name, cell = ""] of rows) {
      const operation = name as keyof typeof POLARITY;
      // "turn the camera on (`{"status": 0}`) or off (`{"status": 1}`)": each value with the
      // words since the one before it.
      const values = [...cell.matchAll(/`\{"(\w+)": (\d)\}`/g)];
      expect(values, name).toHaveLength(2);
      let from = 0;
      for (const match of values) {
        const [, field, value] = match;
        expect(field).toBe(POLARITY[operation].field);
        const action = Object.keys(ACTION_WORDS).find((a) => wire(operation, a) === Number(value));
        expect(cell.slice(from, match.index), `${name}: ${value}`).toMatch(
          ACTION_WORDS[action ?? ""] ?? /^$/,
        );
        from = (match.index ?? 0) + match[0].length;
      }
    }
  });
});

describe("the root README states the spec's other facts", () => {
  const spec = loadSpec();
  const readme = read("README.md");

  it("each operation's method and path, as the spec has them", () => {
    const rows = [
      ...readme.matchAll(
        /^\| `(InviteOperateVideo|InviteShare|CreateConfToken)` \| `(GET|PUT) (\/[^ `]+)/gm,
      ),
    ];
    expect(rows).toHaveLength(3);
    for (const [, name, method = "", path = ""] of rows) {
      const operation = spec.paths[path]?.[method.toLowerCase()];
      expect(operation?.operationId, `${method} ${path}`).toBe(name);
    }
  });

  it("how long a token lives", () => {
    const minutes = /A token lives (\d+) minutes/.exec(readme)?.[1];
    expect(Number(minutes) * 60_000).toBe(TOKEN_LIFETIME_MS);
  });
});
