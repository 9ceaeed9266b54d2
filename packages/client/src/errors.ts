import { REFRESH_TOKEN_CODES, REFRESH_TOKEN_STATUSES, RETRYABLE_CODES } from "./generated/facts.js";
import type { Redact } from "./redact.js";

/** The three operations of the meeting-control API this client calls. */
export type OperationName = "InviteOperateVideo" | "InviteShare" | "CreateConfToken";

/** What openapi-fetch resolves to: `error` is the parsed body of a non-2xx answer. */
export interface Answer {
  response: Response;
  data?: unknown;
  error?: unknown;
}

/** What any error may carry; each class's constructor says which fields it needs. */
export interface ErrorDetails {
  operation?: OperationName | undefined;
  requestId?: string | undefined;
  status?: number;
  code?: string | undefined;
  serviceMessage?: string | undefined;
  headers?: Readonly<Record<string, string>>;
  field?: string;
  allowed?: readonly string[] | undefined;
  location?: string | undefined;
}

/** The details of an `ApiError`: `operation`, `status` and `headers` are required. */
export interface ApiErrorDetails extends ErrorDetails {
  operation: OperationName;
  status: number;
  headers: Readonly<Record<string, string>>;
}

/**
 * The base of every error the client throws. Messages, stacks, `JSON.stringify(error)` and
 * `util.inspect(error)` never contain a token or a host password.
 */
export class MeetingControlError extends Error {
  override name = "MeetingControlError";
  /** The operation that failed, when the error happened during one. */
  declare readonly operation?: OperationName;
  /** `X-Request-Id` of the response: quote it to Huawei support. */
  declare readonly requestId?: string;

  /** Own and enumerable, like the details, so `JSON.stringify(error)` shows it. */
  override message: string;

  constructor(message: string, details?: ErrorDetails, cause?: unknown) {
    super(message, cause ? { cause } : undefined);
    this.message = message;
    Object.assign(this, details);
  }
}

/** Bad input, caught before any request was sent. `field` names it; `allowed` lists valid values. */
export class InvalidInputError extends MeetingControlError {
  override name = "InvalidInputError";
  declare readonly field: string;
  declare readonly allowed?: readonly string[];

  constructor(
    message: string,
    details: { field: string; allowed?: readonly string[] | undefined },
  ) {
    super(message, details);
  }
}

/** The service (or a gateway in front of it) answered with a status that is not 2xx. */
export class ApiError extends MeetingControlError {
  override name = "ApiError";
  declare readonly operation: OperationName;
  declare readonly status: number;
  /** `error_code` of the body (e.g. `MMC.111072050`), when the body has one. */
  declare readonly code?: string;
  /** `error_msg` of the body (e.g. `CONF_LOCKED`), when the body has one. */
  declare readonly serviceMessage?: string;
  /** The response headers, names in lower case, with the credentials redacted like the rest. */
  declare readonly headers: Readonly<Record<string, string>>;

  constructor(message: string, details: ApiErrorDetails) {
    super(message, details);
  }
}

/** A 4xx answer: the request was refused (meeting locked, token invalid, not allowed…). */
export class ClientRequestError extends ApiError {
  override name = "ClientRequestError";
}

/** A 5xx (or other non-2xx, non-4xx) answer: the service or a gateway failed. */
export class ServerResponseError extends ApiError {
  override name = "ServerResponseError";
}

/** Every attempt ran out of time (`timeoutMs` each). */
export class RequestTimeoutError extends MeetingControlError {
  override name = "RequestTimeoutError";
}

/** The request could not be sent or the response not read (DNS, refused connection, reset). */
export class NetworkError extends MeetingControlError {
  override name = "NetworkError";
}

/**
 * The answer was a redirect (3xx; in a browser, an opaque redirect with status 0). The service
 * never redirects, so it means a wrong base URL or an attack: it is not followed, so no
 * credential goes to a host the caller did not name. Never retried.
 */
export class RedirectError extends MeetingControlError {
  override name = "RedirectError";
  declare readonly operation: OperationName;
  declare readonly status: number;
  /** The origin of `Location` (no path or query), when the runtime shows it. */
  declare readonly location?: string;

  constructor(
    message: string,
    details: ErrorDetails & { operation: OperationName; status: number },
  ) {
    super(message, details);
  }
}

/** The caller's `AbortSignal` fired. Never retried. */
export class RequestAbortedError extends MeetingControlError {
  override name = "RequestAbortedError";
}

/** An answer that cannot be used: a 2xx token response without a token, or a body over 1 MiB. */
export class InvalidResponseError extends MeetingControlError {
  override name = "InvalidResponseError";
  /** The answer's HTTP status. */
  declare readonly status?: number;
}

/**
 * The typed error for a non-2xx answer, whatever its body (JSON, a gateway's HTML, nothing), by
 * status family: `RedirectError` (3xx, or a browser's opaque redirect, status 0, no headers,
 * shown by origin only), `ClientRequestError` (4xx), else `ServerResponseError`. Every string
 * taken from the answer is redacted.
 */
export function fromAnswer(
  operation: OperationName,
  { response: { status, headers, url }, error }: Answer,
  redact: Redact,
): MeetingControlError {
  // Iterating Headers combines repeated names, except Set-Cookie: combined here too.
  // A Map, then a plain object: a header named `constructor` or `__proto__` is a header too.
  const kept = new Map<string, string>();
  for (const [name, value] of headers) {
    const shown = redact(name); // a header's name may echo a secret too
    const before = kept.get(shown);
    kept.set(shown, redact(before ? `${before}, ${value}` : value));
  }
  // From the header itself: a short secret may have changed its name in `kept`.
  const requestId = redact(headers.get("x-request-id"));
  if (status < 400) {
    const to = headers.get("location");
    const location = to && URL.canParse(to, url) ? redact(new URL(to, url).origin) : undefined;
    return new RedirectError(
      `${operation} got a redirect, not followed: HTTP ${status}${location ? ` to ${location}` : ""}; check baseUrl`,
      { operation, status, location, requestId },
    );
  }
  // A code the retry and token-refresh rules read is the service's own, kept as it is: a host
  // password inside it (a PIN such as 111072) would otherwise stop a retry or a refresh.
  const given = Object(error).error_code;
  const code = [...RETRYABLE_CODES, ...REFRESH_TOKEN_CODES].includes(given) ? given : redact(given);
  const serviceMessage = redact(Object(error).error_msg);
  return new (status < 500 ? ClientRequestError : ServerResponseError)(
    [
      // The client's own words are not redacted: a secret of one letter would take it out of them.
      `${operation} failed: HTTP ${status}`,
      // Redacted again joined: a secret with a space in it may come back split across the two.
      redact([code, serviceMessage].filter(Boolean).join(" ")),
      requestId && `(request id ${requestId})`,
    ]
      .filter(Boolean)
      .join(" "),
    { operation, status, code, serviceMessage, requestId, headers: Object.fromEntries(kept) },
  );
}

/** Whether `error` is an `ApiError` with one of `statuses` or one of `codes`. */
const answered = (error: unknown, statuses: readonly number[], codes: readonly unknown[]) =>
  error instanceof ApiError && (statuses.includes(error.status) || codes.includes(error.code));

/**
 * The retry rule: a network error, a timeout, a status worth another attempt (408 timeout, 429
 * rate limiting, 500, 502, 503, 504 from the service or a gateway), or one of the codes the
 * service answers to ask for a retry (`RETRYABLE_CODES`, a 400). Nothing else is tried again.
 */
export const isRetryable = (error: unknown) =>
  error instanceof NetworkError ||
  error instanceof RequestTimeoutError ||
  answered(error, [408, 429, 500, 502, 503, 504], RETRYABLE_CODES);

/** The token-refresh rule: the service refused a token (`REFRESH_TOKEN_STATUSES` or `_CODES`). */
export const isTokenRefused = (error: unknown) =>
  answered(error, REFRESH_TOKEN_STATUSES, REFRESH_TOKEN_CODES);
