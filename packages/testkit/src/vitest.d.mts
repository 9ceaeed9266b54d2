import type { InlineConfig } from "vitest/node";
import type { UserConfig } from "vitest/config";

/** The workspace's vitest settings, with `test` options on top. */
export function vitestConfig(test?: InlineConfig): UserConfig;
