import {
  type ApiError,
  ClientRequestError,
  NetworkError,
  type OperationName,
  RequestAbortedError,
  RequestTimeoutError,
  ServerResponseError,
} from "./errors.js";

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

const text = (value: unknown) => (typeof value === "string" ? value : undefined);

/** The typed error for a non-2xx answer, whatever its body (JSON, a gateway's HTML, nothing). */
function apiError(operation: OperationName, answer: Answer) {
  const { status } = answer.response;
  const { error_code, error_msg } = Object(answer.error);
  const details = {
    operation,
    status,
    code: text(error_code),
    serviceMessage: text(error_msg),
    requestId: requestId(answer),
  };
  const message = [
    `${operation} failed: HTTP ${status}`,
    details.code,
    details.serviceMessage,
    details.requestId && `(request id ${details.requestId})`,
  ];
  return new (status < 500 && status > 399 ? ClientRequestError : ServerResponseError)(
    message.filter(Boolean).join(" "),
    details,
  );
}

/**
 * Runs `send` (one openapi-fetch call) with a timeout per attempt that covers the body too,
 * retrying network errors, timeouts, 408, 429, 500, 502–504 and MMC.111072049
 * (RESPONSE_TIME_OUT, a 400 that asks to retry) with backoff. The caller's `signal` stops
 * everything at once, with no retry. A non-2xx answer that is not retried is thrown as an
 * `ApiError`.
 */
export async function withRetries(
  operation: OperationName,
  { timeoutMs, maxRetries, initial, max }: RetryOptions,
  signal: AbortSignal | undefined,
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
      failure = apiError(operation, answer);
    } catch (error) {
      if (signal?.aborted) throw aborted(operation);
      // undici puts the reason ("connect ECONNREFUSED 10.0.0.1:443") in the cause.
      const reason = Object((error as Error)?.cause).message;
      failure = timeout.signal.aborted
        ? new RequestTimeoutError(`${operation} timed out after ${timeoutMs} ms`, { operation })
        : new NetworkError(
            `${operation} failed: ${(error as Error)?.message}${reason ? ` (${reason})` : ""}`,
            { operation },
            error,
          );
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", stop);
    }
    // Network errors and timeouts have no status, and are retried like the statuses below.
    const { status, code } = failure as ApiError;
    if (
      attempt >= maxRetries ||
      (status && ![408, 429, 500, 502, 503, 504].includes(status) && code !== "MMC.111072049")
    ) {
      throw failure;
    }
    // Retry-After in delta-seconds or as an HTTP date, else exponential backoff with jitter.
    const after = answer?.response.headers.get("retry-after") ?? "";
    const ms = /^\d+$/.test(after) ? +after * 1000 : Date.parse(after) - Date.now();
    const delay = Math.min(
      max,
      Number.isNaN(ms) ? initial * 2 ** attempt * (0.5 + Math.random() / 2) : Math.max(0, ms),
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
