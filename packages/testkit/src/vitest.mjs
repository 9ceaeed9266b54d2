// Plain JavaScript: vitest loads its config through Node, which cannot import .ts from a workspace link.
import { defineConfig } from "vitest/config";

/**
 * The workspace's vitest settings: tests under test/, and a JSON report in
 * test-results/vitest.json beside the console output, which the summary line adds up.
 *
 * The timeouts only stop a test that hangs: no test is expected to come near them. They are sized
 * for a loaded 2-core machine (the whole suite at once, beside two CPU-bound processes), where a
 * Prism start, a browser launch or a tsc run takes many times what it takes on an idle one.
 * `expect.poll` gets the same treatment: its 1 s default is a time limit in disguise.
 * @param {import("vitest/node").InlineConfig} [test]
 */
export const vitestConfig = (test = {}) =>
  defineConfig({
    test: {
      include: ["test/**/*.test.ts"],
      reporters: ["default", "json"],
      outputFile: { json: "test-results/vitest.json" },
      testTimeout: 120_000,
      hookTimeout: 180_000,
      teardownTimeout: 60_000,
      expect: { poll: { timeout: 60_000 } },
      ...test,
    },
  });
