import {
  type MeetingControlError,
  NetworkError,
  type OperationName,
  RequestAbortedError,
  RequestTimeoutError,
} from "./errors.js";

export interface RetryOptions {
  /** The caller's `fetch`; the global one when absent. */
  fetch: ((request: Request) => Promise<Response>) | undefined;
  timeoutMs: number;
  maxRetries: number;
  /** First backoff delay; doubles with each retry, with jitter. */
  initialDelayMs: number;
  /** Upper bound of one delay, `Retry-After` included. */
  maxDelayMs: number;
}

export const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {}
};

// 408, 429, 500, 502, 503, 504, and MMC.111072049 RESPONSE_TIME_OUT (a 400 that asks to retry).
const retryable = (status: number, body: string) =>
  [408, 429, 500, 502, 503, 504].includes(status) ||
  (parseJson(body) as { error_code?: unknown } | undefined)?.error_code === "MMC.111072049";

/** `Retry-After` in ms (delta-seconds or an HTTP date); undefined when absent or unreadable. */
const retryAfter = (value: string | null | undefined) => {
  const ms = value
    ? /^\d+$/.test(value)
      ? +value * 1000
      : Date.parse(value) - Date.now()
    : Number.NaN;
  return Number.isNaN(ms) ? undefined : Math.max(0, ms);
};

/** Waits for `promise`, but rejects at once with `RequestAbortedError` when `signal` fires. */
export const abortable = <T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  operation: OperationName,
) =>
  signal
    ? Promise.race([
        promise,
        new Promise<never>((_, reject) => {
          const stop = () =>
            reject(new RequestAbortedError(`${operation} was aborted`, { operation }));
          if (signal.aborted) stop();
          signal.addEventListener("abort", stop, { once: true });
          promise.finally(() => signal.removeEventListener("abort", stop)).catch(() => {});
        }),
      ])
    : promise;

/**
 * A `fetch` for openapi-fetch that gives each attempt its own timeout, reads the whole body
 * within it, and retries network errors, timeouts and retryable answers with backoff. The
 * caller's signal (carried by the `Request`) stops everything at once, with no retry.
 */
export const retryingFetch =
  (operation: OperationName | undefined, options: RetryOptions) =>
  async (request: Request): Promise<Response> => {
    const { signal } = request;
    const what = operation ?? "request";
    const aborted = () => new RequestAbortedError(`${what} was aborted`, { operation });
    const body = request.body && (await request.text());

    for (let attempt = 0; ; attempt++) {
      if (signal.aborted) throw aborted();
      // One controller per attempt, fed by the caller's signal and this attempt's timer: cheaper
      // than AbortSignal.timeout + AbortSignal.any, and nothing outlives the attempt.
      const timeout = new AbortController();
      const stop = () => timeout.abort();
      const timer = setTimeout(stop, options.timeoutMs);
      signal.addEventListener("abort", stop);
      let answer: Response | undefined;
      let text = "";
      let failure: MeetingControlError | undefined;
      try {
        const init = {
          method: request.method,
          headers: request.headers,
          body,
          signal: timeout.signal,
        };
        // A caller's fetch gets a Request; the global one takes the parts, which saves building one.
        answer = await (options.fetch
          ? options.fetch(new Request(request.url, init))
          : fetch(request.url, init));
        text = await answer.text();
      } catch (error) {
        if (signal.aborted) throw aborted();
        // undici puts the reason ("connect ECONNREFUSED 10.0.0.1:443") in the cause.
        const reason = Object((error as Error)?.cause).message;
        failure = timeout.signal.aborted
          ? new RequestTimeoutError(
              `${what} timed out after ${options.timeoutMs} ms`,
              { operation },
              error,
            )
          : new NetworkError(
              `${what} failed: ${(error as Error)?.message}${reason ? ` (${reason})` : ""}`,
              { operation },
              error,
            );
      } finally {
        clearTimeout(timer);
        signal.removeEventListener("abort", stop);
      }
      if (attempt >= options.maxRetries || (answer && !retryable(answer.status, text))) {
        if (failure) throw failure;
        const { status } = answer as Response;
        return new Response(
          status === 204 || status === 205 || status === 304 ? null : text,
          answer,
        );
      }
      const backoff = options.initialDelayMs * 2 ** attempt * (0.5 + Math.random() / 2);
      const delay = Math.min(
        options.maxDelayMs,
        retryAfter(answer?.headers.get("retry-after")) ?? backoff,
      );
      await new Promise((resolve, reject) => {
        const stop = () => {
          clearTimeout(timer);
          reject(aborted());
        };
        const timer = setTimeout(() => resolve(signal.removeEventListener("abort", stop)), delay);
        signal.addEventListener("abort", stop, { once: true });
      });
    }
  };
