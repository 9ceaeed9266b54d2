import { loadSpec } from "@meeting-control/spec";

// The operations the page documents, as the bundled spec has them.

export interface CodeSample {
  lang: string;
  label: string;
  source: string;
}
export interface Example {
  summary: string;
  value: unknown;
}
export interface SpecOperation {
  operationId: string;
  summary: string;
  tags: string[];
  method: string;
  path: string;
  samples: CodeSample[];
  /** The request body's first example: the one the page shows beside the code samples. */
  firstExample: Example | undefined;
  /** The names of its parameters (path, query, header), then of its request body's fields. */
  parameters: string[];
}
interface RawOperation {
  operationId: string;
  summary: string;
  tags?: string[];
  "x-codeSamples"?: CodeSample[];
  parameters?: Ref[];
  requestBody?: {
    content: Record<string, { examples?: Record<string, Example>; schema?: Ref }>;
  };
}
interface Ref {
  $ref?: string;
  name?: string;
  properties?: Record<string, { description?: string }>;
}

const spec = loadSpec();
const paths: Record<string, Record<string, RawOperation>> = spec.paths;

/** `ref` as the spec has it where it points (`#/components/...`), or itself. */
function resolved(ref: Ref): Ref {
  if (!ref.$ref) return ref;
  type Node = Record<string, unknown> | undefined;
  return ref.$ref
    .split("/")
    .slice(1)
    .reduce((at: Node, key) => at?.[key] as Node, spec) as Ref;
}

export const operations: SpecOperation[] = Object.entries(paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([, op]) => typeof op === "object" && "operationId" in op)
    .map(([method, op]) => ({
      operationId: op.operationId,
      summary: op.summary,
      tags: op.tags ?? [],
      method,
      path,
      samples: op["x-codeSamples"] ?? [],
      firstExample: Object.values(op.requestBody?.content["application/json"]?.examples ?? {})[0],
      parameters: [
        ...(op.parameters ?? []).map((p) => resolved(p).name ?? ""),
        ...Object.keys(
          resolved(op.requestBody?.content["application/json"]?.schema ?? {}).properties ?? {},
        ),
      ],
    })),
);

export function operation(operationId: string): SpecOperation {
  const found = operations.find((op) => op.operationId === operationId);
  if (!found) throw new Error(`the spec has no operation ${operationId}`);
  return found;
}

/** The spec's servers' URLs, in its order. */
export const serverUrls: string[] = loadSpec().servers.map((server: { url: string }) => server.url);

/**
 * The first `count` sentences of a schema's field's description as the page reads it: without
 * its Markdown (`**`, backticks), its lines joined.
 */
export function sentences(schema: string, field: string, count = 1): string {
  const text: string = spec.components.schemas[schema]?.properties?.[field]?.description ?? "";
  if (!text) throw new Error(`the spec has no description of ${schema}.${field}`);
  const plain = text
    .replace(/\*\*|`/g, "")
    .replace(/\s+/g, " ")
    .trim();
  return (plain.match(/[^.]+(\.|$)/g) ?? []).slice(0, count).join("").trim();
}
