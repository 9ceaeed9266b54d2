// The bundled spec, read through `@meeting-control/spec`'s exports, and the facts the mock takes
// from it: the body of a bad parameter, and every named answer (the scenarios).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** Absolute path of the bundled spec (YAML) the mock serves. */
export const specPath: string = require.resolve("@meeting-control/spec/openapi.yaml");

/** The same spec as JSON: what Prism's loader reads fastest. */
export const specJsonPath: string = require.resolve("@meeting-control/spec/openapi.json");

/** The service's error body (`RestFailedRsp`). */
export interface RestFailedRsp {
  error_code: string;
  error_msg: string;
}

export interface Scenario {
  operationId: "InviteOperateVideo" | "InviteShare" | "CreateConfToken";
  method: string;
  path: string;
  status: number;
  /** The example's name in the spec. */
  example: string;
  /** Value of the `Prefer` header that selects this answer. */
  prefer: string;
  summary: string;
  body: unknown;
}

// biome-ignore lint/suspicious/noExplicitAny: a parsed JSON document, walked by its known keys
type Json = any;
let document: Json;
/** The bundled spec, parsed (read once). */
export const specDocument = (): Json => {
  document ??= JSON.parse(readFileSync(specJsonPath, "utf8"));
  return document;
};

/** The service's answer to an invalid parameter: 400 `USG.000000003`, the spec's example. */
export function invalidParameter(): RestFailedRsp {
  return specDocument().components.examples.InvalidParameter.value;
}

/** Every named response example of the spec, with the `Prefer` header that triggers it. */
export const scenarios = (): Scenario[] => scenariosOf(specDocument());

/** `$ref`s followed to what they point to, in `root`. */
export function deref(root: Json, node: Json): Json {
  let current = node;
  while (current?.$ref)
    current = current.$ref
      .slice(2)
      .split("/")
      .reduce((o: Json, k: string) => o[k], root);
  return current;
}

/**
 * Whether the spec `root` marks the response `status` of `method path` `x-body-optional`: the
 * service may send it with no body, or with JSON and no Content-Type.
 */
export const bodyOptional = (root: Json, path: string, method: string, status: number) =>
  deref(root, root.paths?.[path]?.[method]?.responses?.[String(status)])?.["x-body-optional"] ===
  true;

/** Every named response example of the spec `root`. */
export function scenariosOf(root: Json): Scenario[] {
  const list: Scenario[] = [];
  for (const [path, item] of Object.entries<Json>(root.paths)) {
    for (const [method, op] of Object.entries<Json>(item)) {
      for (const [status, ref] of Object.entries<Json>(op.responses)) {
        const media = deref(root, ref).content?.["application/json"];
        for (const [example, exRef] of Object.entries<Json>(media?.examples ?? {})) {
          const ex = deref(root, exRef);
          list.push({
            operationId: op.operationId,
            method: method.toUpperCase(),
            path,
            status: Number(status),
            example,
            prefer: `code=${status}, example=${example}`,
            summary: ex.summary ?? "",
            body: ex.value,
          });
        }
      }
    }
  }
  return list;
}
