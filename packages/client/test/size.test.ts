import { readFileSync } from "node:fs";
import {
  bundledSize,
  CLIENT_BUDGET_GZIP,
  CLIENT_ENTRY,
  OPENAPI_FETCH_ENTRY,
} from "@meeting-control/testkit/size";
import { describe, expect, it } from "vitest";

// The budget lives in testkit, beside the measurement the bench's §3 shares.
describe("bundle size", () => {
  const dir = new URL("..", import.meta.url).pathname;

  it(`the ESM entry with openapi-fetch stays within ${CLIENT_BUDGET_GZIP} bytes min+gz`, async () => {
    const ours = await bundledSize(CLIENT_ENTRY, dir);
    const bare = await bundledSize(OPENAPI_FETCH_ENTRY, dir);
    console.log(
      `client ESM entry: ${ours.min} B min, ${ours.gzip} B min+gz (bare openapi-fetch: ${bare.gzip} B min+gz)`,
    );
    expect(ours.gzip).toBeLessThanOrEqual(CLIENT_BUDGET_GZIP);
    expect(ours.gzip).toBeGreaterThan(bare.gzip);
    // The README's Size section states both figures: the budget exactly, the size within 1%.
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const [, size, budget] =
      /about \*\*[\d.]+ KB min\+gz\*\* \(([\d,]+) B\), and the test suite fails past ([\d,]+) B/.exec(
        readme,
      ) ?? [];
    expect(Number(budget?.replaceAll(",", ""))).toBe(CLIENT_BUDGET_GZIP);
    expect(Math.abs(Number(size?.replaceAll(",", "")) - ours.gzip)).toBeLessThanOrEqual(
      ours.gzip / 100,
    );
  });
});
