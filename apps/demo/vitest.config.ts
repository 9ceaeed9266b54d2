import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Only the tests: src/ is browser code that vite builds, not test files.
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ["default", "json"],
    outputFile: { json: "test-results/vitest.json" },
  },
});
