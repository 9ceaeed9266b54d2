import { vitestConfig } from "@meeting-control/testkit/vitest";

export default vitestConfig({
  typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
});
