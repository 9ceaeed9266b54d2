import {
  type Answer,
  fromAnswer,
  isRetryable,
  type MeetingControlError,
  NetworkError,
  type OperationName,
  RequestAbortedError,
  RequestTimeoutError,
} from "./errors.js";
import { redactor, redactString, scrub } from "./redact.js";

export interface RetryOptions {
  timeoutMs: number;
  maxRetries: number;
  /** First backoff delay; doubles with each retry, with jitter. */
  initial: number;
  /** Upper bound of one delay, `Retry-After` included. */
  max: number;
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

/** A failed `fetch` as a `NetworkError`, its message and `cause` chain redacted. */
function networkError(operation: OperationName, error: unknown, redact: (text: string) => string) {
  // undici puts the reason ("connect ECONNREFUSED 10.0.0.1:443") in the cause.
  const reason = redactString(Object((error as Error)?.cause).message, redact);
  return new NetworkError(
    `${operation} failed: ${redactString((error as Error)?.message, redact)}${reason ? ` (${reason})` : ""}`,
    { operation },
    scrub(error, redact),
  );
}

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
 * retrying what `isRetryable` allows with backoff. The caller's `signal` stops
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
    let failure: MeetingControlError;
    try {
      signal?.throwIfAborted();
      answer = await send(timeout.signal);
      if (answer.response.ok) return answer;
      // A 3xx, or a browser's opaque redirect (status 0, no headers).
      failure = fromAnswer(operation, answer, secrets);
    } catch (error) {
      if (signal?.aborted) throw aborted(operation);
      failure = timeout.signal.aborted
        ? new RequestTimeoutError(`${operation} timed out after ${timeoutMs} ms`, { operation })
        : networkError(operation, error, redactor(secrets));
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", stop);
    }
    if (attempt >= maxRetries || !isRetryable(failure)) throw failure;
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
