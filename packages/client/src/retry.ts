import {
  type ApiError,
  ClientRequestError,
  NetworkError,
  type OperationName,
  RedirectError,
  RequestAbortedError,
  RequestTimeoutError,
  ServerResponseError,
} from "./errors.js";
import { redactor, scrub } from "./redact.js";

export interface RetryOptions {
  timeoutMs: number;
  maxRetries: number;
  /** First backoff delay; doubles with each retry, with jitter. */
  initial: number;
  /** Upper bound of one delay, `Retry-After` included. */
  max: number;
}

/** What openapi-fetch resolves to: `error` is the parsed body of a non-2xx answer. */
export interface Answer {
  response: Response;
  data?: unknown;
  error?: unknown;
}

const aborted = (operation: OperationName) =>
  new RequestAbortedError(`${operation} was aborted`, { operation });

export const requestId = ({ response }: Answer) =>
  response.headers.get("x-request-id") ?? undefined;

/** Resolves as `promise` does, or rejects with `RequestAbortedError` (after `onAbort`) as soon as `signal` fires. */
export const abortable = <T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  operation: OperationName,
  onAbort?: () => void,
) =>
  new Promise<T>((resolve, reject) => {
    const stop = () => {
      onAbort?.();
      reject(aborted(operation));
    };
    if (signal?.aborted) stop();
    signal?.addEventListener("abort", stop);
    promise.then(resolve, reject).finally(() => signal?.removeEventListener("abort", stop));
  });

const text = (value: unknown, redact: (text: string) => string) =>
  typeof value === "string" ? redact(value) : undefined;

/** The typed error for a non-2xx answer, whatever its body (JSON, a gateway's HTML, nothing). */
function apiError(operation: OperationName, { response, error }: Answer, redact: Redact) {
  const { status } = response;
  const id = text(response.headers.get("x-request-id"), redact);
  if (status < 400) {
    // A 3xx, or a browser's opaque redirect (status 0, no headers): shown by origin only.
    const to = response.headers.get("location");
    const location =
      to && URL.canParse(to, response.url) ? new URL(to, response.url).origin : undefined;
    return new RedirectError(
      `${operation} got a redirect, not followed: HTTP ${status}${location ? ` to ${location}` : ""}; check baseUrl`,
      { operation, status, location, requestId: id },
    );
  }
  const { error_code, error_msg } = Object(error);
  const details = {
    operation,
    status,
    code: text(error_code, redact),
    serviceMessage: text(error_msg, redact),
    requestId: id,
  };
  const message = [
    `${operation} failed: HTTP ${status}`,
    details.code,
    details.serviceMessage,
    id && `(request id ${id})`,
  ];
  return new (status < 500 ? ClientRequestError : ServerResponseError)(
    message.filter(Boolean).join(" "),
    details,
  );
}

type Redact = (text: string) => string;

// RFC 9110's three HTTP-date forms (IMF-fixdate, RFC 850, asctime) in one loose pattern.
const HTTP_DATE = /^[A-Z][a-z]{2,8},? [\w -]+ \d\d:\d\d:\d\d( GMT| \d{4})$/;

/**
 * `Retry-After` in ms from `now`: delta-seconds (digits only) or an HTTP-date, a past date
 * being 0. Anything else (negative, fractional, junk) is `undefined`, for the computed backoff.
 */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  if (value && /^\d+$/.test(value)) return +value * 1000;
  // asctime has no zone, and means GMT.
  const at = HTTP_DATE.test(value ?? "")
    ? Date.parse(value?.endsWith("T") ? value : `${value} GMT`)
    : NaN;
  return at >= 0 ? Math.max(0, at - now) : undefined;
}

/**
 * Runs `send` (one openapi-fetch call) with a timeout per attempt that covers the body too,
 * retrying network errors, timeouts, 408, 429, 500, 502–504 and MMC.111072049
 * (RESPONSE_TIME_OUT, a 400 that asks to retry) with backoff. The caller's `signal` stops
 * everything at once, with no retry. A non-2xx answer that is not retried is thrown as an
 * `ApiError`, a redirect as a `RedirectError` (redirects are never followed: the caller's
 * `send` asks for `redirect: "manual"`). Every string the server or the runtime gives the error
 * is stripped of `secrets`.
 */
export async function withRetries(
  operation: OperationName,
  { timeoutMs, maxRetries, initial, max }: RetryOptions,
  signal: AbortSignal | undefined,
  secrets: readonly unknown[],
  send: (signal: AbortSignal) => Promise<Answer>,
): Promise<Answer> {
  for (let attempt = 0; ; attempt++) {
    // One controller per attempt, fed by the caller's signal and this attempt's timer: nothing
    // outlives the attempt.
    const timeout = new AbortController();
    const stop = () => timeout.abort();
    const timer = setTimeout(stop, timeoutMs);
    signal?.addEventListener("abort", stop);
    let answer: Answer | undefined;
    let failure: Error;
    try {
      signal?.throwIfAborted();
      answer = await send(timeout.signal);
      if (answer.response.ok) return answer;
      failure = apiError(operation, answer, redactor(secrets));
    } catch (error) {
      if (signal?.aborted) throw aborted(operation);
      const redact = redactor(secrets);
      // undici puts the reason ("connect ECONNREFUSED 10.0.0.1:443") in the cause.
      const reason = text(Object((error as Error)?.cause).message, redact);
      failure = timeout.signal.aborted
        ? new RequestTimeoutError(`${operation} timed out after ${timeoutMs} ms`, { operation })
        : new NetworkError(
            `${operation} failed: ${text((error as Error)?.message, redact)}${reason ? ` (${reason})` : ""}`,
            { operation },
            scrub(error, redact),
          );
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", stop);
    }
    // Network errors and timeouts have no status, and are retried like the statuses below.
    const { status, code } = failure as ApiError;
    if (
      attempt >= maxRetries ||
      failure instanceof RedirectError ||
      (status && ![408, 429, 500, 502, 503, 504].includes(status) && code !== "MMC.111072049")
    ) {
      throw failure;
    }
    // Retry-After when it is valid, else exponential backoff with jitter; capped either way.
    const delay = Math.min(
      max,
      retryAfterMs(answer?.response.headers.get("retry-after") ?? null, Date.now()) ??
        initial * 2 ** attempt * (0.5 + Math.random() / 2),
    );
    let sleeping: ReturnType<typeof setTimeout> | undefined;
    await abortable(
      new Promise((resolve) => {
        sleeping = setTimeout(resolve, delay);
      }),
      signal,
      operation,
      () => clearTimeout(sleeping),
    );
  }
}
