// Reading a request as Prism's HTTP server hands it to the engine: the URL, the query, and the
// body within a size cap (JSON parsed, too deep or malformed JSON refused).
import type { IncomingMessage, ServerResponse } from "node:http";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";

/** JSON bodies nested deeper than this are refused (400) before they are parsed. */
export const MAX_DEPTH = 64;

/**
 * A request's URL. An origin-form target (`/path?query`) is a path even when it starts with `//`
 * (the WHATWG parser would read `//host/…` as a host); an absolute-form one is parsed as it is.
 */
export function urlOf(req: IncomingMessage): URL | undefined {
  const target = req.url ?? "/";
  try {
    return new URL(target.startsWith("/") ? `http://mock.invalid${target}` : target);
  } catch {
    return undefined;
  }
}

/** The path of a request, for a log line: no query, no user info, no control characters. */
export const pathOf = (req: IncomingMessage) => printable(urlOf(req)?.pathname ?? "(not a URL)");

/** `text` with control characters escaped, so that it stays on one line of a log. */
export const printable = (text: string) =>
  text.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are the point
    /[\u0000-\u001f\u007f]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );

/** Reads the body, up to `limit` bytes; stops reading at the first byte over it. */
export function readBody(
  req: IncomingMessage,
  limit: number,
): Promise<Buffer | "too-large" | "aborted"> {
  const declared = Number(req.headers["content-length"]);
  if (declared > limit) return Promise.resolve("too-large");
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (result: Buffer | "too-large" | "aborted") => {
      req.off("data", onData).off("end", onEnd).off("error", onAbort).off("close", onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else {
        req.pause();
        done("too-large");
      }
    };
    const onEnd = () => done(Buffer.concat(chunks, size));
    const onAbort = () => done("aborted");
    const onClose = () => {
      if (!req.complete) done("aborted");
    };
    req.on("data", onData).on("end", onEnd).on("error", onAbort).on("close", onClose);
  });
}

/**
 * A path as Prism's router reads it: each segment URI-decoded (a bad escape left as it is). A
 * segment with an escaped `/` in it stays escaped: Prism reads it as one segment, so it matches no
 * path of the spec's, where joining it back decoded would.
 */
export const routed = (path = "") =>
  path
    .split("/")
    .map((segment) => {
      try {
        const decoded = decodeURIComponent(segment);
        return decoded.includes("/") ? segment : decoded;
      } catch {
        return segment;
      }
    })
    .join("/");

/** How long the rest of a body over the limit is drained before the 413 goes out regardless. */
const DRAIN_MS = 2000;
/** After that 413: how long a client may pause, and at most keep sending, before its socket goes. */
const LINGER_IDLE_MS = 2000;
const LINGER_MAX_MS = 30_000;

/**
 * Gets a request whose body is over the limit ready for its 413. The rest of the body is read and
 * dropped, never kept: a server that answers and closes with bytes unread resets the connection,
 * and the client loses the answer. A client still sending after DRAIN_MS gets its answer anyway,
 * with `Connection: close`, and then a lingering close (as nginx does): the socket's write side
 * closes, and what still arrives is dropped until the client ends, pauses for LINGER_IDLE_MS,
 * or LINGER_MAX_MS has passed. Closing at once would lose the answer the same way.
 */
export async function beforeTooLarge(req: IncomingMessage, res: ServerResponse) {
  if (await drained(req, DRAIN_MS)) return;
  res.setHeader("Connection", "close");
  const socket = req.socket;
  // Node's server calls destroySoon once an answer with `Connection: close` is written.
  socket.destroySoon = () => {
    const stop = () => {
      clearTimeout(cap);
      socket.destroy();
    };
    const cap = setTimeout(stop, LINGER_MAX_MS);
    cap.unref();
    socket.once("close", () => clearTimeout(cap));
    socket.once("end", stop);
    socket.setTimeout(LINGER_IDLE_MS, stop);
    socket.end();
    socket.resume();
  };
}

/** Reads what is left of a request and drops it; resolves whether it ended within `ms`. */
export function drained(req: IncomingMessage, ms: number): Promise<boolean> {
  if (req.complete) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      req.off("end", done).off("close", done);
      resolve(req.complete);
    };
    const timer = setTimeout(done, ms);
    req.on("end", done).on("close", done);
    req.removeAllListeners("data");
    req.resume();
  });
}

/** The codings a `Content-Encoding` or `Transfer-Encoding` lists, in lower case, in its order. */
const codingsOf = (value: string) =>
  value
    .split(",")
    .map((coding) => coding.trim().toLowerCase())
    .filter(Boolean);

/**
 * What the mock cannot read of a body's codings, or undefined when it can read them all: a
 * `Content-Encoding` other than `identity` (the mock, as Prism, decodes none, so a gzip body was
 * read as JSON that does not parse and a plain one sent as gzip as valid), or a
 * `Transfer-Encoding` other than `chunked`, which node:http undoes and nothing else.
 */
export function unreadCoding(
  req: IncomingMessage,
): { status: 415 | 501; header: string; value: string } | undefined {
  for (const [status, header, known] of [
    [415, "Content-Encoding", "identity"],
    [501, "Transfer-Encoding", "chunked"],
  ] as const) {
    const value = req.headers[header.toLowerCase()];
    if (typeof value !== "string") continue;
    if (codingsOf(value).some((coding) => coding !== known)) return { status, header, value };
  }
  return undefined;
}

const DECODERS: Record<string, (bytes: Buffer, options: { maxOutputLength: number }) => Buffer> = {
  gzip: gunzipSync,
  "x-gzip": gunzipSync,
  deflate: inflateSync,
  br: brotliDecompressSync,
};

/**
 * Proxy mode: a body as its `Content-Encoding` (gzip, deflate, br, in the order applied) makes it,
 * to be checked against the spec; the bytes as they came when there is no coding, one not known
 * here, or one that does not decode within `limit` bytes (Prism then finds them invalid, as the
 * other side might). What is passed on is always the bytes as they came.
 */
export function decoded(
  coding: string | string[] | undefined,
  bytes: Buffer,
  limit: number,
): Buffer {
  if (typeof coding !== "string" || !bytes.length) return bytes;
  let body = bytes;
  try {
    for (const one of codingsOf(coding).reverse()) {
      if (one === "identity") continue;
      const decode = DECODERS[one];
      if (!decode) return bytes;
      body = decode(body, { maxOutputLength: limit });
    }
  } catch {
    return bytes;
  }
  return body;
}

export const INVALID = Symbol("invalid body");
const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/**
 * The body as Prism's HTTP server hands it to the engine: null when there is none, parsed JSON
 * for a JSON media type, text otherwise. JSON that does not parse, or nests deeper than
 * MAX_DEPTH, is INVALID.
 */
export function parseBody(req: IncomingMessage, bytes: Buffer): unknown {
  const { headers } = req;
  if (
    headers["content-length"] === "0" ||
    (headers["transfer-encoding"] === undefined && headers["content-length"] === undefined)
  )
    return null;
  if (bytes.length === 0) return null;
  const text = bytes.toString("utf8");
  if (!JSON_TYPE.test(headers["content-type"] ?? "")) return text;
  if (depthOf(text) > MAX_DEPTH) return INVALID;
  try {
    return JSON.parse(text);
  } catch {
    return INVALID;
  }
}

/** How deep arrays and objects nest in a JSON text (strings skipped), without parsing it. */
export function depthOf(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) max = Math.max(max, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/** A query string as Prism's server passes it: one value, or an array of repeated ones. */
export function queryOf(params: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    query[key] = values.length === 1 ? (values[0] ?? "") : values;
  }
  return query;
}
