import {
  type Answer,
  fromAnswer,
  InvalidResponseError,
  isRetryable,
  type MeetingControlError,
  NetworkError,
  type OperationName,
  RequestAbortedError,
  RequestTimeoutError,
} from "./errors.js";
import { clean, redactor } from "./redact.js";

export interface RetryOptions {
  timeoutMs: number;
  maxRetries: number;
  /** First backoff delay; doubles with each retry, with jitter. */
  initial: number;
  /** Upper bound of one delay, `Retry-After` included. */
  max: number;
}

export const requestId = ({ response }: Answer) =>
  response.headers.get("x-request-id") ?? undefined;

const aborted = (operation: OperationName) =>
  new RequestAbortedError(`${operation} was aborted`, { operation });

/**
 * Resolves as `start()` does, or rejects with `RequestAbortedError` as soon as `signal` fires;
 * `start` is not called when `signal` has fired already.
 */
export const abortable = <T>(
  start: () => Promise<T>,
  signal: AbortSignal | undefined,
  operation: OperationName,
) =>
  new Promise<T>((resolve, reject) => {
    const stop = () => reject(aborted(operation));
    if (signal?.aborted) return stop();
    signal?.addEventListener("abort", stop);
    start()
      .then(resolve, reject)
      .finally(() => signal?.removeEventListener("abort", stop));
  });

/** The most of an answer's body the client reads: the service's answers are under a kilobyte. */
export const MAX_BODY = 1 << 20;

/**
 * Where an attempt's signal keeps its answer once its status line came, for when its body then
 * breaks off, stalls past the timeout or runs past MAX_BODY. A property of the attempt's own
 * signal rather than a WeakMap entry, which costs the garbage collector more.
 */
export const ANSWER = Symbol("answer");
/** An attempt's signal, which may keep its answer (see ANSWER). */
export type AttemptSignal = AbortSignal & { [ANSWER]?: Response };

/** Thrown by a `capped` answer's `text()` past `MAX_BODY`, for `withRetries` to report. */
class TooLarge {
  constructor(readonly response: Response) {}
}

/**
 * A capped answer's `text()`, the answer being `this` (openapi-fetch calls it as a method): it
 * reads no more than `MAX_BODY` bytes, so a server that never ends its body cannot fill the
 * memory. One function for every answer, not a closure for each.
 */
async function cappedText(this: Response) {
  const reader = this.body?.getReader();
  if (!reader) return "";
  const decoder = new TextDecoder();
  let text = "";
  for (let size = 0; ; ) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.length;
    if (size > MAX_BODY) {
      reader.cancel().catch(() => {});
      throw new TooLarge(this);
    }
    text += decoder.decode(value, { stream: true });
  }
}

/**
 * `response`, its `text()` (how openapi-fetch reads every answer the operations get) reading no
 * more than `MAX_BODY` bytes (`cappedText`). Only a `Response` of the runtime's own that takes a
 * property: another (node-fetch's, a test's stand-in, a frozen one) keeps its own `text()`.
 */
export const capped = (response: Response) => {
  if (response instanceof Response && Object.isExtensible(response)) response.text = cappedText;
  return response;
};

// RFC 9110's three HTTP-date forms, whole: IMF-fixdate, RFC 850 and asctime (no zone: GMT).
// Date.parse alone reads much else as a date ("1.5" or "-1 00:00:00 GMT" in 2001).
const HTTP_DATE =
  /^([A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4}|[A-Z][a-z]+day, \d\d-[A-Z][a-z]{2}-\d\d) \d\d:\d\d:\d\d GMT$|^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}$/;

/**
 * `Retry-After` in ms from `now`: delta-seconds (digits only) or an HTTP-date, a past date
 * being 0. Anything else (negative, fractional, junk) is `undefined`, for the computed backoff.
 */
export function retryAfterMs(value: string | null | undefined, now: number): number | undefined {
  const text = String(value);
  if (/^\d+$/.test(text)) return +text * 1000;
  // asctime has no zone, and means GMT.
  const at = HTTP_DATE.test(text) ? Date.parse(text.endsWith("T") ? text : `${text} GMT`) : NaN;
  return at >= 0 ? Math.max(0, at - now) : undefined;
}

/**
 * Runs `send` (one openapi-fetch call) with a timeout per attempt that covers the body too,
 * retrying what `isRetryable` allows with backoff. The caller's `signal` stops everything at
 * once, with no retry. A non-2xx answer that is not retried is thrown as `fromAnswer` types it
 * (redirects are never followed: the client asks for `redirect: "manual"`); a failed `fetch` as
 * a `NetworkError`. Every string the server or the runtime gives the error is stripped of
 * `secrets`.
 */
export async function withRetries(
  operation: OperationName,
  { timeoutMs, maxRetries, initial, max }: RetryOptions,
  signal: AbortSignal | undefined,
  secrets: readonly unknown[],
  send: (signal: AbortSignal) => Promise<Answer>,
): Promise<Answer> {
  for (let attempt = 0; ; attempt++) {
    // A controller of its own for each attempt, fed by the caller's signal and this attempt's
    // timer, so a timeout stops only its attempt.
    const timeout = new AbortController();
    const attemptSignal: AttemptSignal = timeout.signal;
    // Rejected as soon as the attempt's timer or the caller's signal stops it, and raced against
    // the attempt: a custom fetch gets the attempt's signal inside a Request, whose signal
    // follows it only weakly (undici), so once nothing else holds that Request a fetch waiting on
    // its signal would never hear of the timeout or the caller's abort.
    let stop!: () => void;
    const stopped = new Promise<never>((_, reject) => {
      stop = () => {
        timeout.abort();
        reject(attemptSignal.reason);
      };
    });
    const timer = setTimeout(stop, timeoutMs);
    signal?.addEventListener("abort", stop);
    let answer: Answer | undefined;
    let failure: MeetingControlError;
    try {
      signal?.throwIfAborted();
      answer = await Promise.race([send(attemptSignal), stopped]);
      if (answer.response.ok) return answer;
      // A 3xx, or a browser's opaque redirect (status 0, no headers).
      failure = fromAnswer(operation, answer, redactor(secrets));
    } catch (error) {
      if (signal?.aborted) throw aborted(operation);
      // A control operation whose 2xx status came is applied: sending it again would invite
      // twice. Its body is not used, so a body that broke off, stalled or ran past MAX_BODY still
      // makes a success.
      const applied = attemptSignal[ANSWER];
      if (applied?.ok && operation !== "CreateConfToken") {
        return { response: applied };
      }
      const redact = redactor(secrets);
      // Any other answer whose status came is judged by its status when that is not to be retried
      // (a redirect, a 4xx), unless it is a 400, whose code in the body may ask for a retry or a
      // new token: its body is not what failed the call. Its Retry-After counts.
      if (applied && !applied.ok) answer = { response: applied };
      const refused = answer && applied?.status !== 400 && fromAnswer(operation, answer, redact);
      // undici puts the reason ("connect ECONNREFUSED 10.0.0.1:443") in the cause; for a host
      // with several addresses, an AggregateError's code without a message.
      const cause = Object(Object(error).cause);
      const reason = redact(cause.message || cause.code);
      failure =
        refused && !isRetryable(refused)
          ? refused
          : attemptSignal.aborted
            ? new RequestTimeoutError(`${operation} timed out after ${timeoutMs} ms`, { operation })
            : error instanceof TooLarge
              ? new InvalidResponseError(`${operation} got an answer over ${MAX_BODY} bytes`, {
                  operation,
                  status: error.response.status,
                  requestId: redact(requestId(error)),
                })
              : new NetworkError(
                  // A custom fetch may throw what is no Error (a string): its type is told.
                  `${operation} failed: ${redact(Object(error).message) ?? `fetch threw ${typeof error}`}${reason ? ` (${reason})` : ""}`,
                  { operation },
                  clean(error, redact),
                );
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", stop);
    }
    if (attempt >= maxRetries || !isRetryable(failure)) throw failure;
    // Retry-After when it is valid, else exponential backoff with jitter; capped either way.
    const delay = Math.min(
      max,
      retryAfterMs(answer?.response.headers.get("retry-after"), Date.now()) ??
        initial * 2 ** attempt * (0.5 + Math.random() / 2),
    );
    let sleeping: ReturnType<typeof setTimeout> | undefined;
    await abortable(
      () =>
        new Promise((resolve) => {
          sleeping = setTimeout(resolve, delay);
        }),
      signal,
      operation,
    ).finally(() => clearTimeout(sleeping));
  }
}
