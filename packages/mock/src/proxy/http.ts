// Proxy mode over node:http: each request registered for `forward`, and Prism's verdict on the
// upstream's answer turned into what the caller gets (the upstream's answer unchanged, plus
// `sl-violations`) and what the report keeps (every credential removed).
import type { IncomingMessage, ServerResponse } from "node:http";
import { answer, own, slViolations } from "../answers.js";
import type { Operation, PrismInput, PrismResult } from "../engine.js";
import type { Hider } from "../redact.js";
import { pathOf, urlOf } from "../request.js";
import { invalidParameter, type RestFailedRsp, specDocument } from "../spec.js";
import { fromPrism, operationAt, ownChecks, waived } from "./checks.js";
import { exchanges, NOT_FORWARDED } from "./forward.js";
import { capped, Report, type ViolationEntry } from "./report.js";
import { IssuedTokens } from "./secrets.js";

export interface Proxying {
  upstream: URL;
  forwardInvalid: boolean;
  report: Report;
  tokens: IssuedTokens;
  /** Called with each entry the report keeps, as it happens (credentials removed). */
  onEntry?: (entry: ViolationEntry) => void;
}

export function proxying(upstream: URL, forwardInvalid: boolean, onEntry?: Proxying["onEntry"]) {
  return {
    upstream,
    forwardInvalid,
    report: new Report(upstream.origin),
    tokens: new IssuedTokens(),
    onEntry,
  };
}

/**
 * The upstream's request id of each answer passed back, redacted when asked: for the verbose
 * log line, so a request without it builds no redactor.
 */
export const shownIds = new WeakMap<ServerResponse, () => string>();

/** Registers `input` for `forward`: its target and body bytes as they arrived. */
export function register(
  proxy: Proxying,
  req: IncomingMessage,
  res: ServerResponse,
  input: PrismInput,
  bytes: Buffer,
) {
  // Only the path and query: an absolute-form target (`PUT http://elsewhere/…`) or one that
  // starts with `//` must not name another host, which would then get the credentials.
  const url = urlOf(req);
  const target = url ? url.pathname + url.search : "/";
  const gone = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) gone.abort();
  });
  exchanges.set(input, { target, bytes, forwardInvalid: proxy.forwardInvalid, gone: gone.signal });
}

// Not passed back: the framing, which is the mock's own (the body comes back whole, in the
// Content-Encoding it came in, which is passed back).
const NOT_PASSED_BACK = new Set([
  "content-length",
  "transfer-encoding",
  "connection",
  "keep-alive",
]);

/**
 * Answers a request Prism routed: the upstream's answer, the service's refusal of an invalid
 * request, or 502/504 when the upstream failed. False for a request Prism could not route.
 */
export function proxied(
  proxy: Proxying,
  operations: Operation[],
  req: IncomingMessage,
  res: ServerResponse,
  input: PrismInput,
  result: PrismResult,
  hide: Hider,
): boolean {
  const exchange = exchanges.get(input);
  const { spec, operation, base, keep } = keeper(proxy, operations, req, input, hide);
  if (result._tag === "Left") {
    if (result.left.name === NOT_FORWARDED && exchange?.refused) {
      const refused = exchange.refused.filter((v) => v.severity === 0);
      keep({
        ...base,
        status: null,
        requestId: null,
        forwarded: false,
        ...capped(refused.map((v) => fromPrism("request", v))),
      });
      // A missing token gets the service's 401; any other invalid request its 400.
      answer(
        res,
        refused.some((v) => v.code === 401) ? 401 : 400,
        refused.some((v) => v.code === 401) ? tokenNull() : invalidParameter(),
      );
      return true;
    }
    if (result.left.name === "Error" && result.left.status) {
      const why = result.left.detail ?? result.left.message ?? "failed";
      answer(res, result.left.status, own.upstream(result.left.status, proxy.upstream.origin, why));
      return true;
    }
    return false;
  }
  const upstream = exchange?.answer;
  if (!upstream) return false;
  const { output, validations } = result.right;
  // An answer can break the spec once per item of a list: a 1 MiB one hundreds of thousands
  // of times. The entry keeps the first few, and counts the rest.
  const found = capped([
    ...validations.input.filter((v) => v.severity === 0).map((v) => fromPrism("request", v)),
    ...waived(
      spec,
      upstream,
      validations.output.map((v) => fromPrism("response", v)),
    ),
    ...ownChecks(spec, upstream, proxy.upstream, hide()),
  ]);
  const headers = new Map(upstream.headers);
  // Read as JSON whatever its Content-Type (Prism left it text otherwise): a token sent back as
  // text/plain is issued all the same.
  if (operation === "CreateConfToken")
    proxy.tokens.add(typeof output.body === "string" ? jsonOf(output.body) : output.body);
  const requestId = headers.get("x-request-id") ?? null;
  const entry = keep({ ...base, status: upstream.status, requestId, forwarded: true, ...found });
  if (requestId) shownIds.set(res, () => hide()(requestId));
  // The upstream's own wins over the mock's (X-Request-Id, CORS): two Access-Control-Allow-Origin
  // headers fail a browser's check.
  for (const [name] of upstream.headers) res.removeHeader(name);
  res.removeHeader("X-Request-Id");
  for (const [name, value] of upstream.headers)
    if (!NOT_PASSED_BACK.has(name)) res.appendHeader(name, value);
  if (entry.violations.length) slViolations(res, entry.violations);
  res.statusCode = upstream.status;
  // RFC 9110 8.6: never on a 204, and on a 304 it would be the length of a body not sent.
  if (upstream.status !== 204 && upstream.status !== 304)
    res.setHeader("Content-Length", upstream.bytes.length);
  res.end(upstream.bytes);
  return true;
}

/**
 * What every report entry of `input` starts with, and how one is kept, credentials removed by
 * `hide` (the request's, shared with its log line: see `hiderOf`).
 */
function keeper(
  proxy: Proxying,
  operations: Operation[],
  req: IncomingMessage,
  input: PrismInput,
  hide: Hider,
) {
  const spec = operationAt(operations, input.method, input.url.path);
  const operation = (spec as { iid?: string } | undefined)?.iid ?? null;
  const base = {
    at: new Date().toISOString(),
    operation,
    method: req.method ?? "",
    path: pathOf(req),
  };
  const keep = (entry: ViolationEntry) => {
    // An answer within the contract is only counted: the report keeps no entry of it, and no
    // one is told, so there is nothing to redact.
    if (entry.forwarded && !entry.violations.length) {
      proxy.report.add(entry);
      return entry;
    }
    const clean = hide()(entry);
    proxy.report.add(clean);
    proxy.onEntry?.(clean);
    return clean;
  };
  return { spec, operation, base, keep };
}

/**
 * Refuses, unforwarded, a request Prism cannot read (its Content-Type does not parse), with the
 * service's 400, and reports it.
 */
export function refuseUnreadable(
  proxy: Proxying,
  operations: Operation[],
  req: IncomingMessage,
  res: ServerResponse,
  input: PrismInput,
  hide: Hider,
) {
  const { base, keep } = keeper(proxy, operations, req, input, hide);
  keep({
    ...base,
    status: null,
    requestId: null,
    forwarded: false,
    violations: [
      { path: "request.headers.content-type", expected: "a media type", severity: "error" },
    ],
  });
  answer(res, 400, invalidParameter());
}

/** `text` as JSON, or undefined (its byte order mark, if any, is gone already: `bodyOf`). */
function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const tokenNull = (): RestFailedRsp => specDocument().components.examples.RequestTokenNull.value;
