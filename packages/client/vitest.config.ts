import { vitestConfig } from "@meeting-control/testkit/vitest";

export default vitestConfig({
  testTimeout: 30_000,
  typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
});
