// The mock's HTTP layer: a node:http server that reads each request (within a size cap), hands
// it to Prism's engine the way `prism-http-server` does, and writes Prism's answer. Everything the
// mock answers by itself (a bad body, an unknown path, a wrong method, a body or headers too
// large, a malformed request) is in the service's error shape: a `RestFailedRsp` body,
// `application/json`, and a fresh `X-Request-Id`, like every other answer.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type Duplex, Writable } from "node:stream";
import { answer, own, requestId, stamp } from "./answers.js";
import {
  allowedMethods,
  type HandlerSetup,
  handle,
  hiderOf,
  logged,
  prismWorkingOn,
} from "./handle.js";
import { isAdmin, track, trackConnect } from "./sim/http.js";

export type { HandlerSetup } from "./handle.js";

import { printable } from "./request.js";

export { printable };

/** The request handler and the server around it. */
export function createMockHttpServer(setup: HandlerSetup): Server {
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(setup, req, res).catch((error: unknown) => {
      console.error("meeting-control-mock: failed to answer a request:", error);
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
  /** An answer given before `handle` sees the request: logged and journaled as any other is. */
  const answeredHere = (req: IncomingMessage, res: ServerResponse) => {
    const id = stamp(setup, res);
    const hide = hiderOf(setup, req);
    logged(setup, req, res, id, hide);
    if (setup.sim && !isAdmin(req)) track(setup.sim, req, res, id, hide);
  };
  // `Expect: 100-continue` with a body over the limit: refused before the client sends it.
  server.on("checkContinue", (req: IncomingMessage, res: ServerResponse) => {
    if (Number(req.headers["content-length"]) > setup.bodyLimit) {
      answeredHere(req, res);
      res.setHeader("Connection", "close");
      answer(res, 413, own.tooLarge(setup.bodyLimit));
      return;
    }
    res.writeContinue();
    onRequest(req, res);
  });
  server.on("checkExpectation", (req: IncomingMessage, res: ServerResponse) => {
    answeredHere(req, res);
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
    const refuse = () => refuseRaw(setup, socket, status, reason, body);
    const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
    // A request whose body is malformed (a bad chunk size, trailers too large) or too slow to
    // arrive is answered as its own, unless its answer has begun or its client left (the
    // connection ended in the body): its handler is still reading the body, which ends with this
    // connection. An earlier, whole request on this connection still being answered
    // (pipelining) gets its answer first.
    if (inFlight && !inFlight.req.complete) {
      if (inFlight.headersSent || error.code === "HPE_INVALID_EOF_STATE")
        return void socket.destroy();
      inFlight.setHeader("Connection", "close");
      lingering(socket);
      answer(inFlight, status, body);
      return;
    }
    if (inFlight && !inFlight.writableFinished) {
      inFlight.once("finish", refuse).once("close", () => {
        if (!inFlight.writableFinished) socket.destroy();
      });
    } else refuse();
  });
  // CONNECT is no method of the spec's (and the mock is no tunnel): Node would close the socket
  // unanswered.
  server.on("connect", (req: IncomingMessage, socket: Duplex) => {
    socket.on("error", () => socket.destroy());
    const allowed = [...new Set(allowedMethods(setup.operations))];
    const id = requestId();
    const answered = refuseRaw(
      setup,
      socket,
      405,
      "Method Not Allowed",
      own.methodNotAllowed(req.method ?? "CONNECT", allowed),
      [`Allow: ${allowed.join(", ")}`],
      "CONNECT (its target not shown)",
      id,
    );
    if (setup.sim) trackConnect(setup.sim, req, id, answered ? 405 : null, hiderOf(setup, req));
  });
  return server;
}

/**
 * Answers on the socket itself (there is no response object to answer with), then closes the
 * connection: a client that keeps its side open (a slowloris) has LINGER_MS to read the answer,
 * and then loses the socket too. Returns whether it answered (the socket was still writable).
 */
function refuseRaw(
  setup: HandlerSetup,
  socket: Duplex,
  status: number,
  reason: string,
  body: object,
  headers: string[] = [],
  what = "(a request node:http could not read)",
  id = requestId(),
): boolean {
  if (!socket.writable) {
    socket.destroy();
    return false;
  }
  const json = JSON.stringify(body);
  // Nothing of what it sent is shown: a path or target may hold a credential, and node:http read
  // none of a malformed one that can be trusted.
  setup.log?.(`${what} → ${status} (X-Request-Id ${id})`);
  lingering(socket);
  socket.end(
    [
      `HTTP/1.1 ${status} ${reason}`,
      "Content-Type: application/json",
      `Content-Length: ${Buffer.byteLength(json)}`,
      `X-Request-Id: ${id}`,
      ...headers,
      ...(setup.cors ? ["Access-Control-Allow-Origin: *", "Access-Control-Expose-Headers: *"] : []),
      "Connection: close",
      "",
      json,
    ].join("\r\n"),
  );
  return true;
}

/** How long a refused client has to read its answer before its socket is destroyed. */
export const LINGER_MS = 1000;

/** Once its answer is written, a refused client's socket is destroyed after LINGER_MS. */
function lingering(socket: Duplex) {
  socket.once("finish", () => {
    const late = setTimeout(() => socket.destroy(), LINGER_MS);
    late.unref();
    socket.once("close", () => clearTimeout(late));
  });
}

/**
 * Prism's JSON log lines (pino), as `[NAME] message` lines for `log`, each through the redactor of
 * the request Prism wrote it for (`prismWorkingOn`): its messages quote what they found.
 */
export function prismLines(log: (line: string) => void): Writable {
  const hidden = (text: string) => {
    const hide = prismWorkingOn.getStore();
    return printable(hide ? hide()(text) : text);
  };
  return new Writable({
    write(chunk: Buffer, _, done) {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (!line) continue;
        try {
          const { name, msg } = JSON.parse(line) as { name?: string; msg?: string };
          log(hidden(`[${name ?? "PRISM"}] ${msg ?? ""}`));
        } catch {
          log(hidden(line));
        }
      }
      done();
    },
  });
}
