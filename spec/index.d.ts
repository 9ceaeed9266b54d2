/** An OpenAPI 3.1 document, walked as plain JSON. */
export interface OpenApiDocument {
  openapi: string;
  // biome-ignore lint/suspicious/noExplicitAny: the document is plain JSON, walked by key.
  [key: string]: any;
}

/** Absolute path of the bundled description: dist/openapi.json (default), or dist/openapi.yaml. */
export declare function specPath(format?: "json" | "yaml"): string;

/** The bundled description, parsed from dist/openapi.json: a fresh copy on each call. */
export declare function loadSpec(): OpenApiDocument;
