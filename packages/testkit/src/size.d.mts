/** What the client's ESM entry, openapi-fetch included, may weigh min+gz, in bytes. */
export const CLIENT_BUDGET_GZIP: number;

/** The client's ESM entry, imported the way a consumer's code imports it. */
export const CLIENT_ENTRY: string;

/** Bare openapi-fetch, the floor of the client's bundle. */
export const OPENAPI_FETCH_ENTRY: string;

/** Bundles an entry the way a consumer's bundler would (esbuild, minified ESM), gzipped at level 9. */
export function bundledSize(
  contents: string,
  resolveDir: string,
  platform?: "neutral" | "node" | "browser",
): Promise<{ min: number; gzip: number }>;

/** The esbuild that measures, for a report to name. */
export const esbuildVersion: string;
