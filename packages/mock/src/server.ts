// The mock's HTTP layer: a node:http server that reads each request (within a size cap), hands
// it to Prism's engine the way `prism-http-server` does, and writes Prism's answer. Everything the
// mock answers by itself (a bad body, an unknown path, a wrong method, a body or headers too
// large, a malformed request) is in the service's error shape: a `RestFailedRsp` body,
// `application/json`, and a fresh `X-Request-Id`, like every other answer.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { Engine, Operation, Prism, PrismConfig, PrismInput, Violation } from "./engine.js";
import { invalidParameter, type RestFailedRsp } from "./spec.js";

/** JSON bodies nested deeper than this are refused (400) before they are parsed. */
export const MAX_DEPTH = 64;
/** How long the rest of a body over the limit is drained before the 413 goes out regardless. */
const LINGER_MS = 2000;
/** Prism's own cap on the `sl-violations` header. */
const MAX_VIOLATIONS_HEADER = 8 * 1024 - 100;

export interface HandlerSetup {
  engine: Engine;
  prism: Prism;
  operations: Operation[];
  config: PrismConfig;
  bodyLimit: number;
  cors: boolean;
  /** One line per request (method, path, status, request id) when verbose; never a header. */
  log?: (line: string) => void;
}

/** A request id in the service's form: 32 lowercase hex digits, new for every answer. */
export const requestId = (): string => randomUUID().replaceAll("-", "");

/** The mock's own answers, for what the service documents no code for. */
const own = {
  notFound: (path: string): RestFailedRsp => ({
    error_code: "MOCK.NOT_FOUND",
    error_msg: `The spec has no operation at ${path}`,
  }),
  methodNotAllowed: (method: string, allowed: string[]): RestFailedRsp => ({
    error_code: "MOCK.METHOD_NOT_ALLOWED",
    error_msg: `${method} is not allowed here; the spec allows ${allowed.join(", ")}`,
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
  expectation: (): RestFailedRsp => ({
    error_code: "MOCK.EXPECTATION_FAILED",
    error_msg: "The only Expect the mock understands is 100-continue",
  }),
  internal: (): RestFailedRsp => ({
    error_code: "MOCK.INTERNAL_ERROR",
    error_msg: "The mock failed to answer this request; see its output",
  }),
};

/** The request handler and the server around it. */
export function createMockHttpServer(setup: HandlerSetup): Server {
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(setup, req, res).catch((error: unknown) => {
      console.error("meeting-control mock: failed to answer a request:", error);
      if (!res.headersSent) answer(res, 500, own.internal());
      else res.destroy();
    });
  };
  // A request without Host is answered like any other (Node's own 400 would have no body), and
  // Node checks the time limits below every 2 s rather than every 30 s.
  const server = createServer(
    { requireHostHeader: false, connectionsCheckingInterval: 2000 },
    onRequest,
  );
  // A whole request within 30 s, its headers within 10 s (give or take that check): a client
  // that stalls loses its socket.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  // `Expect: 100-continue` with a body over the limit: refused before the client sends it.
  server.on("checkContinue", (req: IncomingMessage, res: ServerResponse) => {
    if (Number(req.headers["content-length"]) > setup.bodyLimit) {
      stamp(setup, res);
      res.setHeader("Connection", "close");
      answer(res, 413, own.tooLarge(setup.bodyLimit));
      return;
    }
    res.writeContinue();
    onRequest(req, res);
  });
  server.on("checkExpectation", (_req: IncomingMessage, res: ServerResponse) => {
    stamp(setup, res);
    answer(res, 417, own.expectation());
  });
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, reason, body] =
      error.code === "HPE_HEADER_OVERFLOW"
        ? [431, "Request Header Fields Too Large", own.headersTooLarge()]
        : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
          ? [408, "Request Timeout", own.timeout()]
          : [400, "Bad Request", own.badRequest()];
    const json = JSON.stringify(body);
    const refuse = () => {
      if (!socket.writable) return void socket.destroy();
      socket.end(
        [
          `HTTP/1.1 ${status} ${reason}`,
          "Content-Type: application/json",
          `Content-Length: ${Buffer.byteLength(json)}`,
          `X-Request-Id: ${requestId()}`,
          ...(setup.cors
            ? ["Access-Control-Allow-Origin: *", "Access-Control-Expose-Headers: *"]
            : []),
          "Connection: close",
          "",
          json,
        ].join("\r\n"),
      );
    };
    // A request whose own body broke off (malformed, or the client left) has no one to answer.
    // An earlier, whole request on this connection still being answered (pipelining) gets its
    // answer first.
    const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (inFlight && !inFlight.req.complete) {
      socket.destroy();
      return;
    }
    if (inFlight && !inFlight.writableFinished) {
      inFlight.once("finish", refuse).once("close", () => {
        if (!inFlight.writableFinished) socket.destroy();
      });
    } else refuse();
  });
  return server;
}

/** The headers of every answer: a fresh request id, and CORS when it is on. Returns the id. */
function stamp(setup: HandlerSetup, res: ServerResponse): string {
  const id = requestId();
  res.setHeader("X-Request-Id", id);
  if (setup.cors) {
    res.setHeader("Access-Control-Allow-Origin", "*");
    res.setHeader("Access-Control-Expose-Headers", "*");
  }
  return id;
}

async function handle(setup: HandlerSetup, req: IncomingMessage, res: ServerResponse) {
  // A client can vanish at any moment: its errors end this request, never the process.
  req.on("error", () => {});
  res.on("error", () => {});
  const started = setup.log ? performance.now() : 0;
  const id = stamp(setup, res);
  if (setup.log) {
    const log = setup.log;
    res.once("finish", () =>
      log(
        `${req.method} ${pathOf(req)} → ${res.statusCode} (${(performance.now() - started).toFixed(1)} ms, X-Request-Id ${id})`,
      ),
    );
  }
  if (setup.cors) {
    if (
      req.method === "OPTIONS" &&
      req.headers.origin &&
      req.headers["access-control-request-method"]
    ) {
      const methods = new Set(allowedMethods(setup.operations));
      res.setHeader("Access-Control-Allow-Methods", [...methods, "OPTIONS"].join(", "));
      res.setHeader(
        "Access-Control-Allow-Headers",
        req.headers["access-control-request-headers"] || "*",
      );
      res.setHeader("Access-Control-Max-Age", "600");
      res.writeHead(204, { "Content-Length": "0" }).end();
      return;
    }
  }

  const read = await readBody(req, setup.bodyLimit);
  if (read === "aborted") {
    res.destroy();
    return;
  }
  if (read === "too-large") {
    // The rest of the body is read and dropped, never kept, before the answer: a server that
    // answers and closes with bytes unread resets the connection, and the client loses the 413.
    // A client still sending after LINGER_MS gets its answer anyway, and a closed connection.
    if (!(await drained(req, LINGER_MS))) res.setHeader("Connection", "close");
    answer(res, 413, own.tooLarge(setup.bodyLimit));
    return;
  }

  const url = urlOf(req);
  if (!url) {
    answer(res, 400, own.badRequest());
    return;
  }
  const body = parseBody(req, read);
  if (body === INVALID) {
    answer(res, 400, invalidParameter());
    return;
  }
  const input: PrismInput = {
    method: (req.method ?? "GET").toLowerCase(),
    url: {
      path: url.pathname,
      baseUrl: url.searchParams.get("__server") ?? undefined,
      query: queryOf(url.searchParams),
    },
    headers: req.headers,
    body,
  };

  const preferences = setup.engine.getHttpConfigFromRequest(input);
  if (preferences._tag === "Left") {
    answer(res, preferences.left.status ?? 422, own.prism(preferences.left));
    return;
  }
  const mock = { ...setup.config.mock };
  for (const [key, value] of Object.entries(preferences.right))
    if (value !== undefined) Object.assign(mock, { [key]: value });
  const result = await setup.prism.request(input, setup.operations, { ...setup.config, mock })();

  if (result._tag === "Left") {
    const { name = "", status = 500 } = result.left;
    if (name.endsWith("#NO_PATH_MATCHED_ERROR"))
      return answer(res, 404, own.notFound(url.pathname));
    if (name.endsWith("#NO_METHOD_MATCHED_ERROR")) {
      const allowed = allowedMethods(setup.operations, url.pathname);
      res.setHeader("Allow", allowed.join(", "));
      return answer(res, 405, own.methodNotAllowed(req.method ?? "", allowed));
    }
    return answer(res, status, own.prism(result.left));
  }

  const { output, validations } = result.right;
  const violations = [
    ...validations.input.map((v) => violation("request", v)),
    ...validations.output.map((v) => violation("response", v)),
  ];
  if (violations.length) {
    // Header values are Latin-1: anything else (a body key in another script) is \u-escaped,
    // which keeps the JSON valid.
    const value = JSON.stringify(violations).replace(
      /[^\x20-\x7e]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
    res.setHeader(
      "sl-violations",
      value.length > MAX_VIOLATIONS_HEADER
        ? `Too many violations! ${value.slice(0, MAX_VIOLATIONS_HEADER)}`
        : value,
    );
  }
  // A request that breaks the spec gets the service's answer to it, 400 USG.000000003, not the
  // first 400 example Prism finds (which is the code a client reads as "token rejected"). A
  // missing token keeps Prism's 401: the service checks it first.
  if (output.statusCode !== 401 && validations.input.some((v) => v.severity === 0)) {
    answer(res, 400, invalidParameter());
    return;
  }
  for (const [name, value] of Object.entries(output.headers ?? {}))
    res.setHeader(name, value as string | string[]);
  res.setHeader("X-Request-Id", id);
  const bytes = setup.engine.serialize(output.body, res.getHeader("content-type"));
  res.statusCode = output.statusCode;
  res.end(bytes);
}

/** Writes one of the mock's own answers: a RestFailedRsp, as JSON. */
function answer(res: ServerResponse, status: number, body: RestFailedRsp) {
  const json = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json");
  res.setHeader("Content-Length", Buffer.byteLength(json));
  res.end(json);
}

/** Reads what is left of a request and drops it; resolves whether it ended within `ms`. */
function drained(req: IncomingMessage, ms: number): Promise<boolean> {
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

/**
 * A request's URL. An origin-form target (`/path?query`) is a path even when it starts with `//`
 * (the WHATWG parser would read `//host/…` as a host); an absolute-form one is parsed as it is.
 */
function urlOf(req: IncomingMessage): URL | undefined {
  const target = req.url ?? "/";
  try {
    return new URL(target.startsWith("/") ? `http://mock.invalid${target}` : target);
  } catch {
    return undefined;
  }
}

/** The path of a request, for a log line: no query, no user info, no control characters. */
const pathOf = (req: IncomingMessage) => printable(urlOf(req)?.pathname ?? "(not a URL)");

/** `text` with control characters escaped, so that it stays on one line of a log. */
export const printable = (text: string) =>
  text.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are the point
    /[\u0000-\u001f\u007f]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );

/** Reads the body, up to `limit` bytes; stops reading at the first byte over it. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | "too-large" | "aborted"> {
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

const INVALID = Symbol("invalid body");
const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/**
 * The body as Prism's HTTP server hands it to the engine: null when there is none, parsed JSON
 * for a JSON media type, text otherwise. JSON that does not parse, or nests deeper than
 * MAX_DEPTH, is INVALID.
 */
function parseBody(req: IncomingMessage, bytes: Buffer): unknown {
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
function queryOf(params: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    query[key] = values.length === 1 ? (values[0] ?? "") : values;
  }
  return query;
}

/** The methods of the spec's operations: at `path`, or anywhere. */
function allowedMethods(operations: Operation[], path?: string): string[] {
  return (operations as { method: string; path: string }[])
    .filter((op) => path === undefined || op.path === path)
    .map((op) => op.method.toUpperCase());
}

/** A violation as Prism's server reports it in `sl-violations`. */
const violation = (prefix: string, v: Violation) => ({
  location: [prefix, ...(v.path ?? [])],
  severity: ["Error", "Warning", "Information", "Hint"][v.severity] ?? String(v.severity),
  code: v.code,
  message: v.message,
});
