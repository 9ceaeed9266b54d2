import { vitestConfig } from "@meeting-control/testkit/vitest";

// Only test/**/*.test.ts: src/ is browser code that vite builds, not test files.
export default vitestConfig();
