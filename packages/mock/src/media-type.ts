// Whether Prism's engine can read a Content-Type. It parses a request's with whatwg-mimetype and
// an answer's with content-type too, and either throws at one it cannot parse, which would end
// the request in a 500: such a request is refused first, and such an answer reported.
import { parse as strictParse } from "content-type";
import MIMEType from "whatwg-mimetype";

/** Whether Prism can read `value` as a request's Content-Type. */
export const readableRequestType = (value: string) => MIMEType.parse(value) !== null;

/** Whether Prism can read `value` as an answer's Content-Type. */
export function readableAnswerType(value: string): boolean {
  if (!readableRequestType(value)) return false;
  try {
    strictParse(value);
    return true;
  } catch {
    return false;
  }
}

/** A range with a quality of 0 (RFC 9110, 12.4.2): "not acceptable". */
const REFUSED = /;\s*q\s*=\s*0(?:\.0{0,3})?\s*(?:;|$)/i;

/**
 * `accept` as Prism can read it, undefined when nothing of it can be read, or null when every
 * range it has refuses (`q=0`). Prism splits the header at every comma and throws at a range that
 * does not parse when no other matched: each range (split at commas outside quotes) is kept as it
 * is when it parses and holds no comma, else as its type alone (`application/json; charset=utf-8;`
 * is `application/json`), or left out when it has none. A range of quality 0 is left out too:
 * Prism honours it for a type, but answers a wildcard refused that way with an empty body and no
 * Content-Type.
 */
export function readableAccept(accept: string): string | null | undefined {
  const ranges = (accept.match(/(?:[^,"]|"(?:[^"\\]|\\.)*"?)+/g) ?? [])
    .map((range) => range.trim())
    .map((range) =>
      readableAnswerType(range) && !range.includes(",") ? range : MIMEType.parse(range)?.essence,
    )
    .filter((range) => range !== undefined);
  const wanted = ranges.filter((range) => !REFUSED.test(range));
  if (ranges.length && !wanted.length) return null;
  return wanted.join(",") || undefined;
}
