import { vitestConfig } from "@meeting-control/testkit/vitest";

export default vitestConfig();
