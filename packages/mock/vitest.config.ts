import { vitestConfig } from "@meeting-control/testkit/vitest";

export default vitestConfig({ testTimeout: 60_000, hookTimeout: 60_000 });
