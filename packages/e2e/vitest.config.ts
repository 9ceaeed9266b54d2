import { vitestConfig } from "@meeting-control/testkit/vitest";

export default vitestConfig({ globalSetup: ["test/global-setup.ts"] });
