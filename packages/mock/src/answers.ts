// The mock's own answers, for what the service documents no code for: each a `RestFailedRsp`
// in `application/json`, with a fresh `X-Request-Id` like every other answer.
import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { RestFailedRsp } from "./spec.js";

/** A request id in the service's form: 32 lowercase hex digits, new for every answer. */
export const requestId = (): string => randomUUID().replaceAll("-", "");

/**
 * `text` as a message quotes it: its first 120 characters. Give it text already redacted: a
 * credential cut in two is no longer found whole, and its first part would show.
 */
const clipped = (text: string) => (text.length > 120 ? `${text.slice(0, 120)}…` : text);

/** The mock's own answers, for what the service documents no code for. */
export const own = {
  notFound: (path: string): RestFailedRsp => ({
    error_code: "MOCK.NOT_FOUND",
    error_msg: `The spec has no operation at ${path}`,
  }),
  /** `by`: who allows the others, the spec or (at an admin route) the mock. */
  methodNotAllowed: (method: string, allowed: string[], by = "the spec"): RestFailedRsp => ({
    error_code: "MOCK.METHOD_NOT_ALLOWED",
    error_msg: `${method} is not allowed here; ${by} allows ${allowed.join(", ")}`,
  }),
  tooLarge: (limit: number): RestFailedRsp => ({
    error_code: "MOCK.BODY_TOO_LARGE",
    error_msg: `The body is larger than the mock's limit of ${limit} bytes`,
  }),
  headersTooLarge: (): RestFailedRsp => ({
    error_code: "MOCK.HEADERS_TOO_LARGE",
    error_msg: "The request's headers are too large",
  }),
  badRequest: (): RestFailedRsp => ({
    error_code: "MOCK.BAD_REQUEST",
    error_msg: "The request is not valid HTTP",
  }),
  /** Prism could not answer (a `Prefer` it cannot read, an example the operation lacks). */
  prism: (error: { name?: string; detail?: string; message?: string }): RestFailedRsp => {
    const name = /#([A-Z_]+)/.exec(`${error.name ?? ""} ${error.message ?? ""}`)?.[1];
    return {
      error_code: `MOCK.PRISM_${name?.replace(/_ERROR$/, "") ?? "ERROR"}`,
      error_msg: `Prism: ${error.detail ?? error.message ?? "no answer"}`,
    };
  },
  timeout: (): RestFailedRsp => ({
    error_code: "MOCK.REQUEST_TIMEOUT",
    error_msg: "The request did not arrive in time",
  }),
  /** A body in a coding the mock does not undo (`unreadCoding`). */
  unreadCoding: (status: 415 | 501, header: string, value: string): RestFailedRsp => ({
    error_code:
      status === 415 ? "MOCK.UNSUPPORTED_CONTENT_ENCODING" : "MOCK.UNSUPPORTED_TRANSFER_ENCODING",
    error_msg: `The mock reads ${status === 415 ? "a body with no content coding" : "the chunked transfer coding"} only; this body has ${header}: ${clipped(value)}`,
  }),
  expectation: (): RestFailedRsp => ({
    error_code: "MOCK.EXPECTATION_FAILED",
    error_msg: "The only Expect the mock understands is 100-continue",
  }),
  /** Simulate mode: a request still in flight when the simulator was reset. */
  reset: (): RestFailedRsp => ({
    error_code: "MOCK.RESET",
    error_msg:
      "The simulator was reset while this request was in flight (its body still coming, or a delay fault holding it); it was not applied to the new state",
  }),
  /** Simulate mode's admin routes: a meeting the simulator does not have. */
  noMeeting: (id: string, list: string): RestFailedRsp => ({
    error_code: "MOCK.NOT_FOUND",
    error_msg: `The simulator has no meeting ${id}; GET ${list} lists its meetings`,
  }),
  /** A path under the admin prefix that is no admin route. */
  noAdminRoute: (path: string): RestFailedRsp => ({
    error_code: "MOCK.NOT_FOUND",
    error_msg: `The mock has no admin route at ${clipped(path)}`,
  }),
  adminInput: (message: string): RestFailedRsp => ({
    error_code: "MOCK.BAD_ADMIN_REQUEST",
    error_msg: message,
  }),
  /** Proxy mode: the upstream could not be reached (502) or did not answer in time (504). */
  upstream: (status: number, origin: string, why: string): RestFailedRsp => ({
    error_code: status === 504 ? "MOCK.UPSTREAM_TIMEOUT" : "MOCK.UPSTREAM_UNREACHABLE",
    error_msg: `The upstream ${origin} ${why}`,
  }),
  /** An admin route called by a page of an origin that is not loopback nor in adminOrigins. */
  forbiddenOrigin: (origin: string): RestFailedRsp => ({
    error_code: "MOCK.FORBIDDEN_ORIGIN",
    error_msg: `The admin routes answer pages on loopback (localhost, *.localhost, 127.x.x.x, [::1]) and of adminOrigins (--admin-origin) only; this request came from a page of ${clipped(origin)}`,
  }),
  /** An admin route called at a host `adminHostAllowed` refuses. */
  forbiddenHost: (host: string): RestFailedRsp => ({
    error_code: "MOCK.FORBIDDEN_HOST",
    error_msg: `The admin routes answer requests to loopback (localhost, *.localhost, 127.x.x.x, [::1]), an IP address, the mock's own host (--host), adminHosts (--admin-host) and, when the mock listens beyond loopback, one-label names such as a container's (mock) only; this request was to ${clipped(host)}`,
  }),
  internal: (): RestFailedRsp => ({
    error_code: "MOCK.INTERNAL_ERROR",
    error_msg: "The mock failed to answer this request; see its output",
  }),
};

/** The headers of every answer: a fresh request id, and CORS when it is on. Returns the id. */
export function stamp(setup: { cors: boolean }, res: ServerResponse): string {
  const id = requestId();
  res.setHeader("X-Request-Id", id);
  if (setup.cors) {
    res.setHeader("Access-Control-Allow-Origin", "*");
    res.setHeader("Access-Control-Expose-Headers", "*");
  }
  return id;
}

/** Writes one of the mock's own answers: a RestFailedRsp, as JSON. */
export const answer = (res: ServerResponse, status: number, body: RestFailedRsp) =>
  json(res, status, body);

/** Writes `body` as JSON. */
export function json(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json");
  res.setHeader("Content-Length", Buffer.byteLength(text));
  res.end(text);
}

/** Prism's own cap on the `sl-violations` header. */
const MAX_VIOLATIONS_HEADER = 8 * 1024 - 100;

/** The `sl-violations` header, as Prism's server sends it. */
export function slViolations(
  res: ServerResponse,
  violations: unknown[],
  hide: <T>(value: T) => T = (value) => value,
) {
  // Only as many as the header can show are redacted (`hide`): redacting thousands of Prism's
  // findings against a request's credentials took seconds, holding every other request.
  let kept = 0;
  for (let length = 0; kept < violations.length && length <= MAX_VIOLATIONS_HEADER; kept++)
    length += JSON.stringify(violations[kept]).length + 1;
  // Header values are Latin-1: anything else (a body key in another script) is \u-escaped,
  // which keeps the JSON valid.
  const value = JSON.stringify(hide(violations.slice(0, kept))).replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  res.setHeader(
    "sl-violations",
    value.length > MAX_VIOLATIONS_HEADER || kept < violations.length
      ? `Too many violations! ${value.slice(0, MAX_VIOLATIONS_HEADER)}`
      : value,
  );
}
