// Shared by the proxy tests: loopback servers standing in for Huawei. The deviating upstream
// answers as the request's `x-answer` header asks (one deviation or failure each) and keeps what
// it got; the trap is where its redirect points, and counts what reaches it.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { type ProxyingMockServer, type ProxyOptions, startMockServer } from "../src/index.js";

export const REQUEST_ID = "f78b007ec2dabf1498620131c7bc19e0";
export const ISSUED = 'issued-"\\-tøken-ÿ';
/** A token issued in an answer labelled text/plain. */
export const ISSUED_AS_TEXT = "issued-as-text-7f3a9c";
/** A token issued in JSON after a byte order mark. */
export const ISSUED_BOM = "issued-after-bom-41c2e8";
export const OK = JSON.stringify({ status: 0, message: "success" });

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body's bytes, as they arrived. */
  bytes?: Buffer;
}

/** A node:http server on a free loopback port; closed with its connections. */
export async function listen(onRequest: Parameters<typeof createServer>[1]) {
  const server: Server = createServer(onRequest);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return { url, close };
}

/** The deviating upstream, with a trap for its redirect. */
export async function deviating() {
  const received: Received[] = [];
  const trapped: Received[] = [];
  const trap = await listen((req, res) => {
    trapped.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: "" });
    res.end();
  });
  const upstream = await listen((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const bytes = Buffer.concat(chunks);
      const body = bytes.toString("utf8");
      received.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body,
        bytes,
      });
      const json = { "content-type": "application/json", "x-request-id": REQUEST_ID };
      const echo = String(req.headers["x-conference-authorization"] ?? req.headers["x-password"]);
      const answers: Record<string, () => void> = {
        // A token issued in a body that breaks the schema, and echoed as the request id.
        issue: () =>
          res
            .writeHead(200, { ...json, "x-request-id": ISSUED })
            .end(JSON.stringify({ data: { token: ISSUED, expireTime: "soon" } })),
        "issue-as-text": () =>
          res
            .writeHead(200, { ...json, "content-type": "text/plain" })
            .end(JSON.stringify({ data: { token: ISSUED_AS_TEXT } })),
        faithful: () => res.writeHead(200, { ...json, "x-upstream": "yes" }).end(OK),
        // Compressed, as an upstream answers one that accepts gzip.
        gzip: () => res.writeHead(200, { ...json, "content-encoding": "gzip" }).end(gzipSync(OK)),
        // Its own CORS headers, as a gateway sends them.
        cors: () =>
          res
            .writeHead(200, {
              ...json,
              "access-control-allow-origin": "https://app.example",
              "access-control-expose-headers": "x-request-id",
            })
            .end(OK),
        // A token issued in JSON that starts with a byte order mark.
        "issue-bom": () =>
          res.writeHead(200, json).end(`\ufeff${JSON.stringify({ data: { token: ISSUED_BOM } })}`),
        "no-content": () => res.writeHead(204, { "x-request-id": REQUEST_ID }).end(),
        // A list whose every item breaks the spec: 5,000 violations in one answer.
        many: () =>
          res
            .writeHead(200, json)
            .end(JSON.stringify({ data: { supportNotifyType: Array(5000).fill(1) } })),
        teapot: () => res.writeHead(418, json).end('{"error_code":"X.418","error_msg":"teapot"}'),
        // Labelled JSON, and not JSON.
        "json-typed-text": () => res.writeHead(200, json).end("ok"),
        // A 200 as the service documents it may come: no body, or JSON without Content-Type.
        "no-body": () => res.writeHead(200, { "x-request-id": REQUEST_ID }).end(),
        "no-body-typed": () => res.writeHead(200, json).end(),
        "untyped-object": () => res.writeHead(200, { "x-request-id": REQUEST_ID }).end("{}"),
        "json-string": () => res.writeHead(200, json).end('"ok"'),
        "json-array": () => res.writeHead(200, json).end("[]"),
        // No body, but labelled as something else than JSON: still judged by its media type.
        "no-body-html": () => res.writeHead(200, { ...json, "content-type": "text/html" }).end(),
        // Neither JSON nor labelled: still judged by its (missing) media type.
        "untyped-text": () => res.writeHead(200, { "x-request-id": REQUEST_ID }).end("ok"),
        "no-error-code": () => res.writeHead(400, json).end('{"error_msg":"bad"}'),
        "no-request-id": () => res.writeHead(200, { "content-type": "application/json" }).end(OK),
        plain: () => res.writeHead(200, { ...json, "content-type": "text/plain" }).end("ok"),
        "bad-type": () =>
          res.writeHead(200, { ...json, "content-type": "application/json, text/plain" }).end(OK),
        // 2 MiB, streamed: over what the proxy takes from an upstream.
        huge: () => {
          res.writeHead(200, json);
          const chunk = Buffer.alloc(64 * 1024, 0x20);
          for (let i = 0; i < 32; i++) res.write(chunk);
          res.end(OK);
        },
        html: () =>
          res.writeHead(502, { ...json, "content-type": "text/html" }).end("<h1>Bad gateway</h1>"),
        redirect: () => res.writeHead(302, { ...json, location: `${trap.url}/stolen` }).end(),
        // Echoes the credential in error_msg, a header and the request id, and leaves the
        // contract (no error_code), so that the report has an entry to leak it into.
        echo: () =>
          res
            .writeHead(401, { ...json, "x-request-id": echo, "x-echo": echo })
            .end(JSON.stringify({ error_msg: `token ${decoded(echo)} is not valid` })),
        // The credential percent-encoded as RFC 3986 does (`*` too) as the request id, and
        // lowercased as a redirect's host.
        "echo-encoded": () =>
          res
            .writeHead(302, {
              ...json,
              "x-request-id": rfc3986(decoded(echo)),
              location: `http://${decoded(echo).toLowerCase()}.example/`,
            })
            .end(),
        // The credential in base64url as a redirect's host: a URL parser lowercases it.
        "echo-base64-host": () =>
          res
            .writeHead(302, {
              ...json,
              location: `http://${Buffer.from(decoded(echo)).toString("base64url")}.evil.example/`,
            })
            .end(),
        // Within the contract, but with the credential as its request id.
        "echo-ok": () => res.writeHead(200, { ...json, "x-request-id": echo }).end(OK),
        // The first of the token values a repeated header joined (node:http joins them with ", ").
        "echo-first": () =>
          res
            .writeHead(401, { ...json, "x-request-id": echo.split(", ")[0] })
            .end(JSON.stringify({ error_msg: `token ${echo.split(", ")[0]} is not valid` })),
        // Failures: no answer at all; the headers, then nothing; half a body, then a reset.
        silent: () => {},
        stall: () => res.writeHead(200, json).flushHeaders(),
        "break-off": () =>
          res
            .writeHead(200, { ...json, "content-length": String(OK.length) })
            .write(OK.slice(0, 5), () => res.destroy()),
      };
      (answers[String(req.headers["x-answer"])] ?? answers.faithful)?.();
    });
  });
  return {
    url: upstream.url,
    trapUrl: trap.url,
    received,
    trapped,
    close: async () => {
      await Promise.all([upstream.close(), trap.close()]);
    },
  };
}

/** `text` percent-encoded as RFC 3986's encoders do it: encodeURIComponent leaves !'()* as they are. */
export const rfc3986 = (text: string) =>
  encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

/** The token in a header value: raw, or inside `Basic base64(UTF-8)`. */
function decoded(header: string): string {
  const basic = /^Basic (\S+)$/.exec(header)?.[1];
  return basic ? Buffer.from(basic, "base64").toString("utf8") : header;
}

/** A proxying mock in front of the deviating upstream for this file, both reset before each test. */
export function useProxy(options: Pick<ProxyOptions, "forwardInvalid" | "upstreamTimeoutMs"> = {}) {
  const box = {} as {
    mock: ProxyingMockServer;
    upstream: Awaited<ReturnType<typeof deviating>>;
    lines: string[];
    logs: string[];
  };
  beforeAll(async () => {
    box.upstream = await deviating();
    box.lines = [];
    box.logs = [];
    box.mock = await startMockServer({
      port: 0,
      proxy: box.upstream.url,
      ...options,
      onViolation: (entry) => box.lines.push(JSON.stringify(entry)),
      verbose: (line) => box.logs.push(line),
    });
  });
  beforeEach(() => {
    box.mock.resetViolations();
    box.upstream.received.length = 0;
    box.upstream.trapped.length = 0;
    box.lines.length = 0;
    box.logs.length = 0;
  });
  afterAll(async () => {
    await box.mock?.close();
    await box.upstream?.close();
  });
  return box;
}
