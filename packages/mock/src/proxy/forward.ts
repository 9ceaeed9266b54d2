// Proxy mode's `forward` component, given to Prism's `createInstance` in place of prism-http's
// own (which follows redirects with every request header, and logs the headers). A request
// goes to the upstream's origin only, with its own path, query, headers and body bytes, over
// node:http(s), which adds no header of its own (fetch added Accept, Accept-Language,
// Sec-Fetch-Mode, User-Agent and Accept-Encoding) and follows no redirect: a redirect comes back
// as the answer. Nothing here logs.
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { PrismInput, Violation } from "../engine.js";
import { readableAnswerType } from "../media-type.js";
import { decoded } from "../request.js";

/** The upstream's answer, as it came. */
export interface UpstreamAnswer {
  status: number;
  /** Each header line, its name in lower case. */
  headers: [name: string, value: string][];
  /** The body's bytes, in its Content-Encoding: what is passed back. */
  bytes: Buffer;
  /** The body as its Content-Encoding makes it (gzip, deflate, br): what is checked. */
  decoded: Buffer;
  /** Whether it had a Content-Type Prism's engine cannot parse (and so was not shown it). */
  unreadableType: boolean;
}

/** What the HTTP layer and `forward` share about one request (keyed by Prism's input). */
export interface Exchange {
  /** The request's target (path and query) and body, as they arrived. */
  target: string;
  bytes: Buffer;
  /** Forward even a request Prism found invalid. */
  forwardInvalid: boolean;
  /** Set when forwarded: the upstream's answer. */
  answer?: UpstreamAnswer;
  /** Set when refused: Prism's findings on the request. */
  refused?: Violation[];
  /**
   * Aborted when the caller's connection closes before its answer (it hung up, or the mock was
   * closed): the upstream request is then abandoned, not left to run for its timeout.
   */
  gone: AbortSignal;
}

export const exchanges = new WeakMap<PrismInput, Exchange>();

/** The error `forward` fails with when it refuses an invalid request. */
export const NOT_FORWARDED = "meeting-control#NOT_FORWARDED";

/** A whole request to the upstream, its answer's body included, within this time, or 504. */
export const UPSTREAM_TIMEOUT_MS = 30_000;

// Hop-by-hop headers, and those node:http sets itself from the request it sends.
const NOT_FORWARDED_HEADERS = new Set([
  "host",
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "expect",
  "content-length",
]);

type Either<T> = { _tag: "Left"; left: Error & { status?: number } } | { _tag: "Right"; right: T };

/**
 * The forwarder, in Prism's signature (`(input, baseUrl, upstreamProxy, resource) => logger =>
 * task`), giving up on the upstream after `timeoutMs`.
 */
export const forwarder =
  (timeoutMs: number) =>
  ({ data, validations }: { data: PrismInput; validations: Violation[] }, baseUrl: string) =>
  () =>
  async (): Promise<Either<unknown>> => {
    const exchange = exchanges.get(data);
    if (!exchange) return left(new Error("meeting-control-mock: a request without its exchange"));
    if (validations.some((v) => v.severity === 0) && !exchange.forwardInvalid) {
      exchange.refused = validations;
      return left(Object.assign(new Error("not forwarded"), { name: NOT_FORWARDED }));
    }
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(data.headers))
      if (value !== undefined && !NOT_FORWARDED_HEADERS.has(name)) headers[name] = value;
    const method = data.method.toUpperCase();
    let response: IncomingMessage | undefined;
    let bytes: Buffer;
    // One signal for the limit and the caller's leaving. Not AbortSignal.any with
    // AbortSignal.timeout: Node can collect that timeout's signal, which then never fires.
    const stop = new AbortController();
    const timer = setTimeout(
      () => stop.abort(new DOMException("The upstream did not answer in time", "TimeoutError")),
      timeoutMs,
    );
    timer.unref();
    const leave = () => stop.abort(exchange.gone.reason);
    exchange.gone.addEventListener("abort", leave);
    try {
      // The origin, then the path: `new URL(target, base)` would let `//host` replace the host.
      const url = new URL(new URL(baseUrl).origin + exchange.target);
      // A body on any method that has one (a GET's too, forwarded with forwardInvalid).
      response = await sent(url, method, headers, exchange.bytes, stop.signal);
      // Inside the timeout too: an upstream can send its headers and then stall or break off.
      bytes = await capped(response, UPSTREAM_BODY_LIMIT);
    } catch (error) {
      // The cause names no header: only the origin, and why.
      if (exchange.gone.aborted)
        return left(Object.assign(new Error("the caller left"), { status: 502 }));
      const timedOut = stop.signal.reason?.name === "TimeoutError";
      const broke = response ? "broke off its answer" : "could not be reached";
      const why =
        error === TOO_LARGE
          ? `answered with a body of over ${UPSTREAM_BODY_LIMIT} bytes`
          : timedOut
            ? "did not answer in time"
            : broke;
      return left(Object.assign(new Error(why), { status: timedOut ? 504 : 502 }));
    } finally {
      clearTimeout(timer);
      exchange.gone.removeEventListener("abort", leave);
    }
    // A Content-Type Prism cannot parse would throw inside it: it validates the answer without
    // one, and the report says so (ownChecks).
    const type = String(response.headers["content-type"] ?? "");
    const unreadableType = type !== "" && !readableAnswerType(type);
    const status = response.statusCode ?? 0;
    // Prism judges the body as its Content-Encoding makes it; the caller gets the bytes as they
    // came.
    const body = decoded(response.headers["content-encoding"], bytes, UPSTREAM_BODY_LIMIT);
    const answer: UpstreamAnswer = { status, headers: [], bytes, decoded: body, unreadableType };
    const raw = response.rawHeaders;
    for (let i = 0; i + 1 < raw.length; i += 2)
      answer.headers.push([(raw[i] as string).toLowerCase(), raw[i + 1] as string]);
    exchange.answer = answer;
    const shown: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers))
      if (value !== undefined) shown[name] = Array.isArray(value) ? value.join(", ") : value;
    if (unreadableType) delete shown["content-type"];
    return {
      _tag: "Right",
      right: { statusCode: status, headers: shown, body: bodyOf(type, body) },
    };
  };

/** `method` to `url` over node:http(s), `bytes` its body: the answer once its headers came. */
function sent(
  url: URL,
  method: string,
  headers: Record<string, string | string[]>,
  bytes: Buffer,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    // Framed by its length: node:http would send a GET's body unframed.
    const framed = bytes.length ? { ...headers, "content-length": String(bytes.length) } : headers;
    const request = send(url, { method, headers: framed, signal }, resolve);
    request.on("error", reject);
    request.end(bytes.length ? bytes : undefined);
  });
}

/** The most an upstream's answer may carry: more is a 502, not a process out of memory. */
export const UPSTREAM_BODY_LIMIT = 1024 * 1024;
const TOO_LARGE = new Error("too large");

/** The body of `response`, or TOO_LARGE as soon as it passes `limit` bytes. */
async function capped(response: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      response.destroy();
      throw TOO_LARGE;
    }
    chunks.push(chunk);
  }
  // An answer cut off before its end (a reset, a short body) is an error, not a short body.
  if (!response.complete) throw new Error("incomplete");
  return Buffer.concat(chunks, size);
}

const left = (error: Error & { status?: number }) => ({ _tag: "Left" as const, left: error });

const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/** The body as Prism's validator takes it: parsed JSON for a JSON type (text if it does not parse). */
function bodyOf(type: string, bytes: Buffer): unknown {
  // A byte order mark before JSON is allowed to be ignored (RFC 8259 8.1).
  const text = bytes.toString("utf8").replace(/^\ufeff/, "");
  if (!JSON_TYPE.test(type) || !text) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
