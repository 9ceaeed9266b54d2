// What proxy mode checks beyond Prism's validator, and Prism's findings as report entries.
import type { Operation, Violation } from "../engine.js";
import { routed } from "../request.js";
import { bodyOptional, specDocument } from "../spec.js";
import type { UpstreamAnswer } from "./forward.js";
import type { ContractViolation } from "./report.js";

interface HttpOperation {
  iid?: string;
  method: string;
  path: string;
  responses: { code: string; headers?: { name: string }[] }[];
}

/** The spec's operation at `method path`, as Prism's loader returns it. */
export const operationAt = (operations: Operation[], method: string, path: string) => {
  const at = routed(path);
  return (operations as HttpOperation[]).find((op) => op.method === method && op.path === at);
};

/**
 * Prism's validator checks a response header only when the spec marks it required; the spec
 * declares `X-Request-Id` on the responses without that. Here a header declared on the
 * documented response for this status (or, for an undocumented one, on every response of the
 * operation) must be there. A redirect is reported too: it is passed back, never followed.
 * `hide` is the request's redactor, for the redirect's target.
 */
export function ownChecks(
  operation: Operation | undefined,
  answer: UpstreamAnswer,
  upstream: URL,
  hide: <T>(value: T) => T = (value) => value,
): ContractViolation[] {
  const found: ContractViolation[] = [];
  const sent = new Set(answer.headers.map(([name]) => name));
  const { responses = [] } = (operation ?? {}) as Partial<HttpOperation>;
  const documented = responses.find((r) => r.code === String(answer.status));
  const declared = (r: { headers?: { name: string }[] }) =>
    (r.headers ?? []).map((h) => h.name.toLowerCase());
  const expected = documented
    ? declared(documented)
    : declared(responses[0] ?? {}).filter((name) =>
        responses.every((r) => declared(r).includes(name)),
      );
  for (const name of expected)
    if (!sent.has(name))
      found.push({
        path: `response.headers.${name}`,
        expected: `a ${name} header, as the spec declares`,
        severity: "error",
      });
  if (answer.unreadableType)
    found.push({
      path: "response.headers.content-type",
      expected: "a media type (RFC 9110), not one that does not parse",
      severity: "error",
    });
  if (answer.status >= 300 && answer.status < 400) {
    const location = answer.headers.find(([name]) => name === "location")?.[1];
    // Its origin as written, less user info, redacted: the one a URL parser gives lowercases
    // the host, and a credential in it (in base64, say) would no longer be found.
    const written = /^([a-z][\w+.-]*:\/\/)(?:[^@/?#]*@)?([^/?#]*)/i.exec(location ?? "");
    const to =
      !location || !URL.canParse(location, upstream)
        ? "nowhere"
        : written
          ? hide(`${written[1]}${written[2]}`)
          : new URL(location, upstream).origin;
    found.push({
      path: "response.headers.location",
      expected: `no redirect: one to ${to} was passed back to the caller, not followed`,
      severity: "error",
    });
  }
  return found;
}

/**
 * Prism's findings on `answer` less those the spec waives for it: a response marked
 * `x-body-optional` (the control operations' 200) may come with no body, and with JSON but no
 * `Content-Type`, as the service documents it. A body that is not JSON, or one under another
 * media type, is still judged.
 */
export function waived(
  operation: Operation | undefined,
  answer: UpstreamAnswer,
  found: ContractViolation[],
): ContractViolation[] {
  const op = operation as HttpOperation | undefined;
  if (!op || !bodyOptional(specDocument(), op.path, op.method, answer.status)) return found;
  const empty = answer.decoded.length === 0;
  const type = answer.headers.find(([name]) => name === "content-type")?.[1];
  const json = !empty && isJson(answer.decoded);
  // Its schema takes any JSON, so a text that is not would pass as a JSON string.
  if (!empty && !json && type && JSON_TYPE.test(type))
    return [
      ...found,
      { path: "response.body", expected: "JSON, as its Content-Type says", severity: "error" },
    ];
  if (!empty && !(type === undefined && json)) return found;
  // An empty body is no body whatever it is labelled; a label other than JSON is still judged.
  const typeWaived = type === undefined || JSON_TYPE.test(type);
  return found.filter(
    (v) =>
      (v.path !== "response.headers.content-type" || !typeWaived) &&
      !(empty && (v.path === "response.body" || v.path.startsWith("response.body."))),
  );
}

const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

function isJson(bytes: Buffer): boolean {
  try {
    JSON.parse(bytes.toString("utf8"));
    return true;
  } catch {
    return false;
  }
}

/** A finding of Prism's validator as the report keeps it, with a JSON path for each. */
export function fromPrism(where: "request" | "response", v: Violation): ContractViolation {
  // Prism gives the status and the media type no path of their own.
  const own = v.path?.length
    ? v.path
    : /status code/.test(v.message)
      ? ["status"]
      : /media type/.test(v.message)
        ? ["headers", "content-type"]
        : [];
  return {
    path: [where, ...own].join("."),
    expected: v.message,
    severity: v.severity === 0 ? "error" : "warning",
  };
}
