// Plain JavaScript: vitest loads its config through Node, which cannot import .ts from a workspace link.
import { defineConfig } from "vitest/config";

/**
 * The workspace's vitest settings: tests under test/, and a JSON report in
 * test-results/vitest.json beside the console output, which CI's summary line adds up.
 * @param {import("vitest/node").InlineConfig} [test]
 */
export const vitestConfig = (test = {}) =>
  defineConfig({
    test: {
      include: ["test/**/*.test.ts"],
      reporters: ["default", "json"],
      outputFile: { json: "test-results/vitest.json" },
      ...test,
    },
  });
