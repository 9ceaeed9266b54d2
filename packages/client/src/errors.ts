/** The three operations of the meeting-control API this client calls. */
export type OperationName = "InviteOperateVideo" | "InviteShare" | "CreateConfToken";

export interface ErrorDetails {
  operation?: OperationName | undefined;
  requestId?: string | undefined;
  status?: number;
  code?: string | undefined;
  serviceMessage?: string | undefined;
  field?: string;
  allowed?: readonly string[];
  location?: string | undefined;
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

  constructor(message: string, details?: ErrorDetails, cause?: unknown) {
    super(message, cause ? { cause } : undefined);
    Object.assign(this, details);
  }

  toJSON(): object {
    return { ...this, message: this.message };
  }
}

/** Bad input, caught before any request was sent. `field` names it; `allowed` lists valid values. */
export class InvalidInputError extends MeetingControlError {
  override name = "InvalidInputError";
  declare readonly field: string;
  declare readonly allowed?: readonly string[];
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
}

/** The caller's `AbortSignal` fired. Never retried. */
export class RequestAbortedError extends MeetingControlError {
  override name = "RequestAbortedError";
}

/** A 2xx answer that cannot be used (a token response without a token, say). */
export class InvalidResponseError extends MeetingControlError {
  override name = "InvalidResponseError";
}
