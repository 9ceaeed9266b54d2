import { defineConfig } from "tsup";

export default defineConfig({
  // The spec's facts are entries of their own (`/facts`, `/error-codes`): the main bundle carries
  // only the facts the client uses, and never every code's summary.
  entry: {
    index: "src/index.ts",
    facts: "src/generated/facts.ts",
    "error-codes": "src/generated/error-codes.ts",
  },
  format: ["esm", "cjs"],
  dts: true,
  target: "es2022",
  platform: "neutral",
  sourcemap: true,
  clean: true,
  treeshake: true,
});
