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
}
interface RawOperation {
  operationId: string;
  summary: string;
  tags?: string[];
  "x-codeSamples"?: CodeSample[];
  requestBody?: { content: Record<string, { examples?: Record<string, Example> }> };
}

const paths: Record<string, Record<string, RawOperation>> = loadSpec().paths;

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
    })),
);

export function operation(operationId: string): SpecOperation {
  const found = operations.find((op) => op.operationId === operationId);
  if (!found) throw new Error(`the spec has no operation ${operationId}`);
  return found;
}

/** The spec's servers' URLs, in its order. */
export const serverUrls: string[] = loadSpec().servers.map((server: { url: string }) => server.url);
