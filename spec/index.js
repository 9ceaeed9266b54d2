// The bundled description, for code: where its files are (for tools that take a path) and the
// parsed document. Both read dist/, which `pnpm bundle` writes and the package ships.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * Absolute path of the bundled description: dist/openapi.json, or dist/openapi.yaml.
 * @param {"json" | "yaml"} [format]
 * @returns {string}
 */
export const specPath = (format = "json") =>
  fileURLToPath(new URL(`./dist/openapi.${format}`, import.meta.url));

/** The bundled description, parsed from dist/openapi.json: a fresh copy on each call. */
export const loadSpec = () => JSON.parse(readFileSync(specPath("json"), "utf8"));
