// §3 Bundle size: each entry bundled the same way with esbuild (as a consumer's bundler would),
// minified, then gzipped at level 9.
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const resolveDir = new URL(".", import.meta.url).pathname;
/** @typedef {typeof ENTRIES} Entries */
const ENTRIES = {
  ours: 'export * from "@meeting-control/client";',
  openapiFetch: 'import c from "openapi-fetch"; export default c;',
  axios: 'import a from "axios"; export default a;',
  huaweiCore: 'export * from "@huaweicloud/huaweicloud-sdk-core";',
};

const NONE = { min: Number.NaN, gzip: Number.NaN };

/** @param {string} contents @param {"neutral" | "node" | "browser"} platform */
async function bundled(contents, platform) {
  const result = await build({
    stdin: { contents, resolveDir, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform,
    target: "es2022",
    mainFields: ["module", "main"],
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

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
