import type { UserConfig } from "vitest/config";
import type { InlineConfig } from "vitest/node";

/** The workspace's vitest settings, with `test` options on top. */
export function vitestConfig(test?: InlineConfig): UserConfig;
