import { vitestConfig } from "@meeting-control/testkit/vitest";

export default vitestConfig({ testTimeout: 30_000, hookTimeout: 60_000 });
