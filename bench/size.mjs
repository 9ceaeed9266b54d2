// §3 Bundle size: each entry bundled by testkit's `bundledSize`, the measurement the client's size
// test makes (esbuild, as a consumer's bundler would, minified, then gzipped at level 9).
import { bundledSize, CLIENT_ENTRY, OPENAPI_FETCH_ENTRY } from "@meeting-control/testkit/size";

const resolveDir = new URL(".", import.meta.url).pathname;
/** @typedef {typeof ENTRIES} Entries */
const ENTRIES = {
  ours: CLIENT_ENTRY,
  openapiFetch: OPENAPI_FETCH_ENTRY,
  axios: 'import a from "axios"; export default a;',
  huaweiCore: 'export * from "@huaweicloud/huaweicloud-sdk-core";',
};

const NONE = { min: Number.NaN, gzip: Number.NaN };

/** @param {string} contents @param {"neutral" | "node" | "browser"} platform */
const bundled = (contents, platform) => bundledSize(contents, resolveDir, platform);

export async function bundleSize() {
  /** @type {Record<keyof Entries, { min: number, gzip: number }>} */
  const bytes = { ours: NONE, openapiFetch: NONE, axios: NONE, huaweiCore: NONE };
  /** @type {Record<string, string>} */
  const neutralFailed = {};
  const entries = /** @type {[keyof Entries, string][]} */ (Object.entries(ENTRIES));
  for (const [name, contents] of entries) {
    try {
      bytes[name] = await bundled(contents, "neutral");
    } catch (error) {
      const errors = /** @type {{ errors?: { text: string }[] }} */ (error).errors ?? [];
      neutralFailed[name] = errors[0]?.text ?? String(error);
    }
  }
  // A package that needs Node built-ins (crypto, http, events) cannot be bundled for a neutral
  // platform: then all four are bundled for node, so they are still measured the same way.
  const platform = Object.keys(neutralFailed).length ? "node" : "neutral";
  if (platform === "node") {
    for (const [name, contents] of entries) bytes[name] = await bundled(contents, "node");
  }
  return {
    method: `esbuild: bundle, minify, format esm, target es2022, platform ${platform}, mainFields module,main; gzip level 9; figures in bytes`,
    platform,
    neutralFailed,
    entries: ENTRIES,
    bytes,
    // For context only: axios as a browser bundler would pick it (its fetch/XHR build, no http adapter).
    axiosBrowserBuild: await bundled(ENTRIES.axios, "browser"),
  };
}
