import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { parse as parseYaml } from "yaml";

// ajv-formats is CommonJS: its default export arrives wrapped under Node's ESM loader.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

const dist = (name: string) => fileURLToPath(new URL(`../dist/${name}`, import.meta.url));

// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document is walked generically here.
export type Json = any;

export function loadBundle(): Json {
  return JSON.parse(readFileSync(dist("openapi.json"), "utf8"));
}

export function loadYamlBundle(): Json {
  return parseYaml(readFileSync(dist("openapi.yaml"), "utf8"));
}

const DOC_ID = "https://meeting-control.invalid/openapi.json";

/** A JSON Schema 2020-12 validator that resolves `#/components/...` refs against the bundle. */
export function schemaValidator(bundle: Json) {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
  addFormats(ajv);
  // OpenAPI's own formats and keywords.
  ajv.addFormat("int32", {
    type: "number",
    validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
  });
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat("password", () => true);
  ajv.addKeyword({ keyword: "example" });
  // Our extension: the client's action name for each value of an enum (see RestVideoBody).
  ajv.addKeyword({ keyword: "x-enum-varnames" });
  // Schema components become $defs of one document, and `#/components/schemas/X` refs point there.
  const rewrite = (schema: Json) =>
    JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${DOC_ID}#/$defs/`);
  ajv.addSchema(JSON.parse(rewrite({ $id: DOC_ID, $defs: bundle.components.schemas })));

  const cache = new Map<string, ValidateFunction>();
  return (schema: Json, value: unknown): string[] => {
    const rewritten = rewrite(schema);
    let validate = cache.get(rewritten);
    if (!validate) {
      validate = ajv.compile(JSON.parse(rewritten));
      cache.set(rewritten, validate);
    }
    return validate(value)
      ? []
      : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`);
  };
}

/** Follows a local `$ref` (one level at a time) until it reaches an object without one. */
export function deref(bundle: Json, node: Json): Json {
  let current = node;
  while (current && typeof current.$ref === "string") {
    const path = current.$ref.replace(/^#\//, "").split("/");
    current = path.reduce((acc: Json, key: string) => acc?.[key], bundle);
    if (current === undefined) throw new Error(`unresolved $ref ${node.$ref}`);
  }
  return current;
}

export const METHODS = ["get", "put", "post", "patch", "delete", "head", "options"] as const;

export function operations(bundle: Json) {
  const ops: { path: string; method: string; op: Json }[] = [];
  for (const [path, item] of Object.entries<Json>(bundle.paths)) {
    for (const method of METHODS) {
      if (item[method]) ops.push({ path, method, op: item[method] });
    }
  }
  return ops;
}
