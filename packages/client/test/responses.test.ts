import type { ServerResponse } from "node:http";
import { loadSpec } from "@meeting-control/spec";
import { specExample } from "@meeting-control/testkit";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { TOKEN_LIFETIME_MS } from "../src/generated/facts.js";
import {
  ApiError,
  ClientRequestError,
  createMeetingControlClient,
  InvalidResponseError,
  MeetingControlError,
  NetworkError,
  RequestTimeoutError,
  ServerResponseError,
} from "../src/index.js";
import { loopbackServer, stallPast } from "./server.js";

const IDS = { conferenceID: "986947855", participantID: "4a5rg64ag5p8pvvnam1rr6m8lqra6a61" };
const REQUEST_ID = "f78b007ec2dabf1498620131c7bc19e0";

// Each test sets what the loopback server answers next.
let answer: (res: ServerResponse) => void = (res) => res.end();
let server: Awaited<ReturnType<typeof loopbackServer>>;
beforeAll(async () => {
  server = await loopbackServer((_, res) => answer(res));
});
afterAll(() => server.close());

const client = () =>
  createMeetingControlClient({ token: "stbaf8fa2ea8-example", baseUrl: server.url, maxRetries: 0 });

describe("a 200 succeeds whatever its body", () => {
  const cases: [string, (res: ServerResponse) => void][] = [
    [
      "empty, Content-Length: 0",
      (res) => res.writeHead(200, { "content-length": "0", "x-request-id": REQUEST_ID }).end(),
    ],
    [
      "empty and chunked, labelled JSON",
      (res) => {
        res.writeHead(200, { "content-type": "application/json", "x-request-id": REQUEST_ID });
        res.flushHeaders();
        res.end();
      },
    ],
    [
      "{}",
      (res) =>
        res
          .writeHead(200, { "content-type": "application/json", "x-request-id": REQUEST_ID })
          .end("{}"),
    ],
    [
      "any JSON",
      (res) =>
        res
          .writeHead(200, { "content-type": "application/json", "x-request-id": REQUEST_ID })
          .end('[1,{"a":null}]'),
    ],
    [
      "plain text",
      (res) =>
        res.writeHead(200, { "content-type": "text/plain", "x-request-id": REQUEST_ID }).end("OK"),
    ],
    [
      "invalid JSON labelled JSON",
      (res) =>
        res
          .writeHead(200, { "content-type": "application/json", "x-request-id": REQUEST_ID })
          .end("{not json"),
    ],
    [
      "no Content-Type, no Content-Length",
      (res) => {
        res.removeHeader("date");
        res.writeHead(200, { "x-request-id": REQUEST_ID });
        res.write("{");
        res.end("}");
      },
    ],
    [
      "the boilerplate Content-Length: 39 on a short body",
      (res) => {
        // What the source pages show: a declared length that is not the body's. Send exactly 39 bytes
        // so the HTTP framing stays valid while the header matches the docs' boilerplate.
        const body = JSON.stringify({ padding: "x".repeat(25) });
        res
          .writeHead(200, {
            "content-type": "application/json",
            "content-length": String(Buffer.byteLength(body)),
            "x-request-id": REQUEST_ID,
          })
          .end(body);
      },
    ],
    ["204 No Content", (res) => res.writeHead(204, { "x-request-id": REQUEST_ID }).end()],
  ];

  it.each(cases)("%s", async (_, respond) => {
    answer = respond;
    await expect(client().inviteCamera({ ...IDS, action: "enable" })).resolves.toEqual({
      requestId: REQUEST_ID,
    });
    await expect(client().inviteScreenShare({ ...IDS, action: "cancel" })).resolves.toEqual({
      requestId: REQUEST_ID,
    });
  });

  it("without X-Request-Id the request id is undefined", async () => {
    answer = (res) => res.writeHead(200).end();
    await expect(client().inviteCamera({ ...IDS, action: "enable" })).resolves.toEqual({
      requestId: undefined,
    });
  });
});

async function failure(
  respond: (res: ServerResponse) => void,
  call = (c = client()) => c.inviteCamera({ ...IDS, action: "enable" }),
) {
  answer = respond;
  const error = await call().then(
    () => {
      throw new Error("expected a rejection");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MeetingControlError);
  expect(error).toBeInstanceOf(Error);
  return error as ApiError;
}

describe("a non-2xx answer is a typed error", () => {
  it.each([
    [400, "MMC.111072050", "CONF_LOCKED"],
    [401, "USG.000000004", "Illegal request"],
    [403, "MMC.111072117", "CONF_NOT_SUPPORT_INVITE_OPEN_VIDEO"],
    [404, "MMC.111070005", "CONF_DATA_NOT_FOUND"],
  ])(
    "%i %s → ClientRequestError with status, code, message and request id",
    async (status, code, msg) => {
      const error = await failure((res) =>
        res
          .writeHead(status, { "content-type": "application/json", "x-request-id": REQUEST_ID })
          .end(JSON.stringify({ error_code: code, error_msg: msg })),
      );
      expect(error).toBeInstanceOf(ClientRequestError);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({
        name: "ClientRequestError",
        status,
        code,
        serviceMessage: msg,
        requestId: REQUEST_ID,
        operation: "InviteOperateVideo",
      });
      expect(error.message).toBe(
        `InviteOperateVideo failed: HTTP ${status} ${code} ${msg} (request id ${REQUEST_ID})`,
      );
    },
  );

  it("500 → ServerResponseError", async () => {
    const error = await failure((res) =>
      res
        .writeHead(500, { "content-type": "application/json", "x-request-id": REQUEST_ID })
        .end('{"error_code":"MMC.000000002","error_msg":"Internal error"}'),
    );
    expect(error).toBeInstanceOf(ServerResponseError);
    expect(error).toMatchObject({
      status: 500,
      code: "MMC.000000002",
      serviceMessage: "Internal error",
      requestId: REQUEST_ID,
    });
  });

  it("a gateway's HTML 502 still carries the status and request id", async () => {
    const error = await failure((res) =>
      res
        .writeHead(502, { "content-type": "text/html", "x-request-id": REQUEST_ID })
        .end("<html><body><h1>502 Bad Gateway</h1></body></html>"),
    );
    expect(error).toBeInstanceOf(ServerResponseError);
    expect(error).toMatchObject({
      status: 502,
      requestId: REQUEST_ID,
      operation: "InviteOperateVideo",
    });
    expect(error.code).toBeUndefined();
    expect(error.message).toBe(`InviteOperateVideo failed: HTTP 502 (request id ${REQUEST_ID})`);
  });

  it("an empty 502 with Content-Length: 0 still throws (openapi-fetch alone would not)", async () => {
    const error = await failure((res) =>
      res.writeHead(502, { "content-length": "0", "x-request-id": REQUEST_ID }).end(),
    );
    expect(error).toBeInstanceOf(ServerResponseError);
    expect(error).toMatchObject({ status: 502, requestId: REQUEST_ID });
  });

  it("JSON that is not a RestFailedRsp leaves code undefined", async () => {
    const error = await failure((res) =>
      res.writeHead(400, { "content-type": "application/json" }).end('{"error_code":42}'),
    );
    expect(error).toBeInstanceOf(ClientRequestError);
    expect(error.code).toBeUndefined();
    expect(error.requestId).toBeUndefined();
  });

  it("the share operation names itself", async () => {
    const error = await failure(
      (res) =>
        res
          .writeHead(403, { "content-type": "application/json" })
          .end('{"error_code":"USG.000000004","error_msg":"Illegal request"}'),
      (c = client()) => c.inviteScreenShare({ ...IDS, action: "invite" }),
    );
    expect(error.operation).toBe("InviteShare");
  });

  it("serialises to JSON with its fields and message", async () => {
    const error = await failure((res) =>
      res
        .writeHead(400, { "content-type": "application/json", "x-request-id": REQUEST_ID })
        .end('{"error_code":"MMC.111072050","error_msg":"CONF_LOCKED"}'),
    );
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: "ClientRequestError",
      message: `InviteOperateVideo failed: HTTP 400 MMC.111072050 CONF_LOCKED (request id ${REQUEST_ID})`,
      operation: "InviteOperateVideo",
      status: 400,
      code: "MMC.111072050",
      serviceMessage: "CONF_LOCKED",
      requestId: REQUEST_ID,
      headers: expect.objectContaining({
        "content-type": "application/json",
        "x-request-id": REQUEST_ID,
      }),
    });
  });

  it("keeps the response headers, names in lower case (Retry-After, a gateway's own)", async () => {
    const error = await failure((res) =>
      res
        .writeHead(503, {
          "Retry-After": "120",
          "X-Gateway": "edge-7",
          "Set-Cookie": ["a=1", "b=2"],
        })
        .end(),
    );
    expect(error).toBeInstanceOf(ServerResponseError);
    expect(error.headers).toMatchObject({
      "retry-after": "120",
      "x-gateway": "edge-7",
      "set-cookie": "a=1, b=2",
    });
    expect(error.headers["x-request-id"]).toBeUndefined();
  });

  it("keeps a header named like Object's own (constructor, __proto__) as the header's value", async () => {
    const error = await failure((res) => {
      res.setHeader("constructor", "v");
      res.setHeader("__proto__", "w");
      res.setHeader("toString", ["x", "y"]);
      res.writeHead(503).end();
    });
    expect(Object.getPrototypeOf(error.headers)).toBe(Object.prototype);
    const own = (name: string) => Object.getOwnPropertyDescriptor(error.headers, name)?.value;
    expect([own("constructor"), own("__proto__"), own("tostring")]).toEqual(["v", "w", "x, y"]);
  });
});

describe("CreateConfToken's answer", () => {
  const tokenClient = () =>
    createMeetingControlClient({
      hostPassword: "host-pass-123",
      baseUrl: server.url,
      maxRetries: 0,
    });

  it("gives every TokenInfo field, the misspelt gloablPublicIP, and a 30-minute expiresAt", async () => {
    const example = specExample(loadSpec(), "TokenCreated");
    answer = (res) =>
      res
        .writeHead(200, { "content-type": "application/json", "x-request-id": REQUEST_ID })
        .end(JSON.stringify(example));
    const before = Date.now();
    const token = await tokenClient().createConfToken({ conferenceID: IDS.conferenceID });
    // Every field of the spec's example, its data's and its own (gloablPublicIP, addressToken).
    const { data, ...around } = example;
    expect(Object.keys(data).length + Object.keys(around).length).toBeGreaterThan(10);
    expect(token).toMatchObject({ ...data, ...around, requestId: REQUEST_ID });
    expect(token).toHaveProperty("gloablPublicIP");
    expect(token.expiresAt).toBeInstanceOf(Date);
    const lifetime = data.confTokenExpireTime * 1000;
    expect(token.expiresAt.getTime()).toBeGreaterThanOrEqual(before + lifetime);
    expect(token.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + lifetime);
  });

  it("falls back to expireTime, then to the spec's lifetime (30 minutes)", async () => {
    const expireTime = Date.now() + 600_000;
    answer = (res) => res.writeHead(200).end(JSON.stringify({ data: { token: "t1", expireTime } }));
    expect(
      (await tokenClient().createConfToken({ conferenceID: IDS.conferenceID })).expiresAt.getTime(),
    ).toBe(expireTime);
    answer = (res) => res.writeHead(200).end(JSON.stringify({ data: { token: "t1" } }));
    const before = Date.now();
    const { expiresAt } = await tokenClient().createConfToken({ conferenceID: IDS.conferenceID });
    expect(expiresAt.getTime()).toBeGreaterThanOrEqual(before + TOKEN_LIFETIME_MS);
    expect(expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + TOKEN_LIFETIME_MS);
  });

  it.each([
    ["an empty body", ""],
    ["HTML", "<html>ok</html>"],
    ["JSON without data", "{}"],
    ["a token that is not a string", '{"data":{"token":12}}'],
    ["an empty token", '{"data":{"token":""}}'],
  ])("%s is an InvalidResponseError", async (_, body) => {
    const error = await failure(
      (res) => res.writeHead(200, { "x-request-id": REQUEST_ID }).end(body),
      () => tokenClient().createConfToken({ conferenceID: IDS.conferenceID }),
    );
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toMatchObject({
      operation: "CreateConfToken",
      status: 200,
      requestId: REQUEST_ID,
    });
  });

  it("a 400 (wrong password) is a ClientRequestError", async () => {
    const error = await failure(
      (res) =>
        res
          .writeHead(400, { "content-type": "application/json" })
          .end('{"error_code":"MMC.111072065","error_msg":"CONF_NOT_FOUND_OR_AUTH_FAILED"}'),
      () => tokenClient().createConfToken({ conferenceID: IDS.conferenceID }),
    );
    expect(error).toBeInstanceOf(ClientRequestError);
    expect(error).toMatchObject({ operation: "CreateConfToken", code: "MMC.111072065" });
  });
});

describe("an answer's body is read up to 1 MiB", () => {
  const MiB = 1 << 20;
  /** Writes `status` and then a body that never ends; resolves when the client lets go. */
  const endless = (status: number, released: () => void) => (res: ServerResponse) => {
    res.writeHead(status, { "content-type": "application/json", "x-request-id": REQUEST_ID });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const more = () => {
      while (!res.destroyed && res.write(chunk));
    };
    res.on("drain", more);
    res.on("close", released);
    more();
  };

  it.each([
    [503, "the global fetch", "an invitation"],
    [503, "a custom fetch", "an invitation"],
    [200, "the global fetch", "a token answer"],
    [200, "a custom fetch", "a token answer"],
  ])(
    "a %i whose body never ends, with %s, to %s: an InvalidResponseError, not retried, the connection let go",
    async (status, how, call) => {
      let attempts = 0;
      let released = () => {};
      const closed = new Promise<void>((resolve) => {
        released = resolve;
      });
      const write = endless(status, released);
      answer = (res) => {
        attempts++; // counted by the server, whichever fetch sent it
        write(res);
      };
      const client = createMeetingControlClient({
        token: "stbaf8fa2ea8-example",
        hostPassword: "host-pass-123",
        baseUrl: server.url,
        maxRetries: 2,
        retryDelayMs: { initial: 0, max: 0 },
        ...(how === "a custom fetch" && { fetch: (request: Request) => fetch(request) }),
      });
      const operation = call === "an invitation" ? "InviteOperateVideo" : "CreateConfToken";
      const error = await (call === "an invitation"
        ? client.inviteCamera({ ...IDS, action: "enable" })
        : client.createConfToken({ conferenceID: IDS.conferenceID })
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect(error).toMatchObject({
        operation,
        message: `${operation} got an answer over ${MiB} bytes`,
        status,
        requestId: REQUEST_ID,
      });
      expect(attempts).toBe(1);
      await closed; // the client stopped reading: the server's response is closed, not still writing
    },
  );

  it.each([
    ["the global fetch", undefined],
    ["a custom fetch", (request: Request) => fetch(request)],
  ])(
    "a 200 invitation whose body never ends, with %s: a success (applied), sent once, the connection let go",
    async (_, custom) => {
      let attempts = 0;
      let released = () => {};
      const closed = new Promise<void>((resolve) => {
        released = resolve;
      });
      const write = endless(200, released);
      answer = (res) => {
        attempts++;
        write(res);
      };
      const camera = createMeetingControlClient({
        token: "stbaf8fa2ea8-example",
        baseUrl: server.url,
        retryDelayMs: { initial: 0, max: 0 },
        ...(custom && { fetch: custom }),
      });
      expect(await camera.inviteCamera({ ...IDS, action: "enable" })).toEqual({
        requestId: REQUEST_ID,
      });
      expect(attempts).toBe(1);
      await closed;
    },
  );

  const customFetch = (request: Request) => fetch(request);
  it.each([
    ["breaks off", "the global fetch", undefined],
    ["breaks off", "a custom fetch", customFetch],
    ["stalls past timeoutMs", "the global fetch", undefined],
    ["stalls past timeoutMs", "a custom fetch", customFetch],
  ])(
    "a 200 whose body %s, with %s: the invitation is a success, sent once; a token answer fails and is asked again",
    async (how, _, custom) => {
      const stalls = how !== "breaks off";
      let requests = 0;
      const open = new Set<ServerResponse>();
      answer = (res) => {
        requests++;
        res.writeHead(200, {
          "content-type": "application/json",
          "content-length": "50",
          "x-request-id": REQUEST_ID,
        });
        // The status line and a byte, then a reset, or nothing more until the client lets go.
        if (stalls) {
          open.add(res);
          res.write("{");
        } else res.write("{", () => res.destroy());
      };
      const options = {
        baseUrl: server.url,
        maxRetries: 1,
        // On a fake clock when the body stalls: a minute costs nothing.
        timeoutMs: 60_000,
        retryDelayMs: { initial: 0, max: 0 },
        ...(custom && { fetch: custom }),
      };
      // A stalled body's timeout passes on a fake clock, once its status line is in.
      if (stalls) vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
      try {
        const camera = createMeetingControlClient({ token: "stbaf8fa2ea8-example", ...options });
        const invited = camera.inviteCamera({ ...IDS, action: "enable" });
        if (stalls) await stallPast(1, options.timeoutMs);
        expect(await invited).toEqual({ requestId: REQUEST_ID });
        expect(requests).toBe(1);
        requests = 0;
        const asked = createMeetingControlClient({ hostPassword: "host-pass-123", ...options })
          .createConfToken({ conferenceID: IDS.conferenceID })
          .catch((e: unknown) => e);
        if (stalls) await stallPast(2, options.timeoutMs);
        const error = await asked;
        expect(error).toBeInstanceOf(stalls ? RequestTimeoutError : NetworkError);
        expect(requests).toBe(2);
      } finally {
        vi.useRealTimers();
        for (const res of open) res.destroy();
      }
    },
  );

  it("a token answer of exactly 1 MiB, sent without a length, is read whole", async () => {
    const json = JSON.stringify({ data: { token: "t-1MiB", confTokenExpireTime: 1800 } });
    answer = (res) => {
      res.writeHead(200, { "content-type": "application/json", "x-request-id": REQUEST_ID });
      res.write(" ".repeat(MiB - json.length));
      res.end(json);
    };
    const token = await createMeetingControlClient({
      hostPassword: "host-pass-123",
      baseUrl: server.url,
    }).createConfToken({ conferenceID: IDS.conferenceID });
    expect(token).toMatchObject({ token: "t-1MiB", requestId: REQUEST_ID });
  });
});

it("a custom fetch's answer that is not the runtime's Response (node-fetch's, a stand-in) is read with its own text()", async () => {
  const body = JSON.stringify({ data: { token: "t-stand-in", confTokenExpireTime: 1800 } });
  for (const answer of [
    { ok: true, status: 200, headers: new Headers(), body: {}, text: async () => body },
    Object.freeze(new Response(body, { status: 200 })),
  ]) {
    const token = await createMeetingControlClient({
      hostPassword: "host-pass-123",
      baseUrl: "https://api.meeting.test",
      fetch: async () => answer as Response,
    }).createConfToken({ conferenceID: IDS.conferenceID });
    expect(token).toMatchObject({ token: "t-stand-in" });
  }
});
