import { readFileSync } from "node:fs";

// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document, walked generically by tests.
type Json = any;

/**
 * The value of a named example component of `spec`, e.g. "TokenCreated" or "ConfLocked". The
 * caller passes `loadSpec()` of @meeting-control/spec: this kit cannot depend on the spec, whose
 * own tests use it.
 */
export function specExample(spec: Json, name: string): Json {
  const example = spec.components?.examples?.[name];
  if (!example) throw new Error(`the spec has no example named ${name}`);
  return example.value;
}

export interface RawRequest {
  method: string;
  path: string;
  /** The request target: path and query, as written. */
  target: string;
  query: URLSearchParams;
  /** Header names in lower case, values as written. */
  headers: Map<string, string>;
  /** Header pairs as written (names in their original case). */
  headerLines: [string, string][];
  body: string;
}

/** Parses a `.http` file: requests separated by `###`, `#` comment lines ignored. */
export function parseHttpFile(text: string): RawRequest[] {
  return text
    .split(/^###\s*$/m)
    .map((block) =>
      block
        .split("\n")
        .filter((line) => !line.startsWith("#"))
        .join("\n")
        .trim(),
    )
    .filter(Boolean)
    .map((block) => {
      const [head = "", ...rest] = block.split(/\n\s*\n/);
      const [requestLine = "", ...lines] = head.split("\n");
      const [method = "", target = ""] = requestLine.split(" ");
      const url = new URL(target, "http://source.page");
      const headerLines = lines.map((line) => {
        const i = line.indexOf(":");
        return [line.slice(0, i).trim(), line.slice(i + 1).trim()] as [string, string];
      });
      return {
        method: method.toUpperCase(),
        path: url.pathname,
        target,
        query: url.searchParams,
        headers: new Map(headerLines.map(([name, value]) => [name.toLowerCase(), value])),
        headerLines,
        body: rest.join("\n\n").trim(),
      };
    });
}

/** The two requests from Huawei's source pages, verbatim (this kit's fixtures/). */
export const sourcePageRequests = (): RawRequest[] =>
  parseHttpFile(
    readFileSync(new URL("../fixtures/source-page-requests.http", import.meta.url), "utf8"),
  );
