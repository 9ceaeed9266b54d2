// What a request costs the mock to show is bounded by what it shows: a request with thousands of
// findings or credential values is redacted no more than the header and the journal can hold.
import type { ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { slViolations } from "../src/answers.js";
import { credentialsOf } from "../src/proxy/secrets.js";
import { MAX_VALUES } from "../src/redact.js";
import { REDACTED, redactor } from "../src/sim/journal.js";

/** The headers `slViolations` sets. */
function headersOf(violations: unknown[], hide?: <T>(value: T) => T) {
  const set = new Map<string, string>();
  slViolations(
    { setHeader: (name: string, value: string) => set.set(name, value) } as never as ServerResponse,
    violations,
    hide,
  );
  return set;
}

describe("sl-violations", () => {
  const finding = (n: number) => ({
    location: ["request", "body"],
    message: `must NOT have additional properties, found 'key-${n}'`,
  });

  it("redacts only the findings the header has room for, and says that there were more", () => {
    const seen: unknown[] = [];
    const hide = <T>(value: T): T => {
      seen.push(...(value as unknown[]));
      return value;
    };
    const header =
      headersOf(
        Array.from({ length: 5000 }, (_, n) => finding(n)),
        hide,
      ).get("sl-violations") ?? "";
    expect(header.startsWith("Too many violations! [")).toBe(true);
    expect(header.length).toBeLessThanOrEqual(8 * 1024);
    // Those shown, and one more at most: not the 5,000.
    expect(seen.length).toBeGreaterThan(50);
    expect(seen.length).toBeLessThan(200);
    expect(header).toContain("found 'key-0'");
  });

  it("shows every finding, redacted, when they fit", () => {
    const hide = <T>(value: T): T =>
      JSON.parse(JSON.stringify(value).replaceAll("key-1", REDACTED));
    expect(headersOf([finding(0), finding(1)], hide).get("sl-violations")).toBe(
      JSON.stringify([
        finding(0),
        { ...finding(1), message: `must NOT have additional properties, found '${REDACTED}'` },
      ]),
    );
  });
});

describe("a credential header of thousands of values", () => {
  const header = Array.from({ length: 3000 }, (_, n) => `v${n}-x`).join(", ");

  it("counts its first values as credentials, MAX_VALUES of them, as well as the whole", () => {
    const found = credentialsOf({ "x-conference-authorization": header });
    expect(found).toContain("v0-x");
    expect(found).toContain(`v${MAX_VALUES - 1}-x`);
    expect(found).not.toContain(`v${MAX_VALUES}-x`);
    const redact = redactor({ "x-conference-authorization": header }, []);
    expect(redact([header, "a v1-x b", `a v${MAX_VALUES + 1}-x b`])).toEqual([
      REDACTED,
      `a ${REDACTED} b`,
      `a v${MAX_VALUES + 1}-x b`,
    ]);
  });
});
