import { describe, expect, it } from "vitest";
import {
  ClientRequestError,
  createMeetingControlClient,
  NetworkError,
  RequestAbortedError,
  RequestTimeoutError,
  ServerResponseError,
} from "../src/index.js";
import { loopbackServer } from "./server.js";

const IDS = { conferenceID: "986947855", participantID: "4a5rg64ag5p8pvvnam1rr6m8lqra6a61" };
const FAST = { initial: 1, max: 20 };

/** A client whose injected fetch answers from a script of responses (or throws). */
function scripted(
  script: (attempt: number, request: Request) => Response | Promise<Response>,
  options = {},
) {
  const attempts: Request[] = [];
  const client = createMeetingControlClient({
    token: "stbaf8fa2ea8-example",
    baseUrl: "https://api.meeting.test",
    retryDelayMs: FAST,
    fetch: async (request) => {
      attempts.push(request);
      return script(attempts.length, request);
    },
    ...options,
  });
  return { client, attempts };
}

const fail = (status: number, code?: string) =>
  new Response(code ? JSON.stringify({ error_code: code, error_msg: "x" }) : "", {
    status,
    headers: { "x-request-id": `attempt-${status}` },
  });
const ok = () => new Response("{}", { status: 200, headers: { "x-request-id": "ok" } });
const call = (client: ReturnType<typeof scripted>["client"], signal?: AbortSignal) =>
  client.inviteCamera({ ...IDS, action: "enable", ...(signal && { signal }) });

describe("retries", () => {
  it.each([408, 429, 500, 502, 503, 504])("retry %i, then succeed", async (status) => {
    const { client, attempts } = scripted((n) => (n < 3 ? fail(status) : ok()));
    await expect(call(client)).resolves.toEqual({ requestId: "ok" });
    expect(attempts).toHaveLength(3);
  });

  it("retry MMC.111072049 (RESPONSE_TIME_OUT), though it is a 400", async () => {
    const { client, attempts } = scripted((n) => (n === 1 ? fail(400, "MMC.111072049") : ok()));
    await expect(call(client)).resolves.toEqual({ requestId: "ok" });
    expect(attempts).toHaveLength(2);
  });

  it.each([
    [400, "MMC.111072050"],
    [401, "USG.000000004"],
    [403, "MMC.111072117"],
    [404, undefined],
    [409, undefined],
  ])("do not retry %i %s", async (status, code) => {
    const { client, attempts } = scripted(() => fail(status, code));
    await expect(call(client)).rejects.toBeInstanceOf(ClientRequestError);
    expect(attempts).toHaveLength(1);
  });

  it("stop after maxRetries and report the last answer", async () => {
    const { client, attempts } = scripted(() => fail(503), { maxRetries: 3 });
    await expect(call(client)).rejects.toMatchObject({ name: "ServerResponseError", status: 503 });
    expect(attempts).toHaveLength(4);
  });

  it("maxRetries: 0 tries once", async () => {
    const { client, attempts } = scripted(() => fail(500), { maxRetries: 0 });
    await expect(call(client)).rejects.toBeInstanceOf(ServerResponseError);
    expect(attempts).toHaveLength(1);
  });

  it("retry network errors, and report a NetworkError when they persist", async () => {
    const { client, attempts } = scripted(() => {
      throw new TypeError("fetch failed");
    });
    const error = await call(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ operation: "InviteOperateVideo" });
    expect((error as Error).cause).toBeInstanceOf(TypeError);
    expect(attempts).toHaveLength(3);
  });

  it("a refused connection on loopback is a NetworkError", async () => {
    const server = await loopbackServer(() => {});
    const url = server.url;
    await server.close();
    const client = createMeetingControlClient({
      token: "t0000000",
      baseUrl: url,
      maxRetries: 1,
      retryDelayMs: FAST,
    });
    const error = await call(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    // The reason undici keeps in the cause is in the message.
    expect((error as Error).message).toMatch(
      /^InviteOperateVideo failed: fetch failed \(.*ECONNREFUSED.*\)$/,
    );
  });

  it("every attempt is a fresh copy of the request, body included", async () => {
    const { client, attempts } = scripted((n) => (n < 3 ? fail(503) : ok()));
    await call(client);
    const bodies = await Promise.all(attempts.map((r) => r.text()));
    expect(bodies).toEqual(['{"status":0}', '{"status":0}', '{"status":0}']);
    expect(new Set(attempts).size).toBe(3);
  });

  it("honour Retry-After, capped by retryDelayMs.max", async () => {
    const wait = (seconds: string) =>
      new Response("", { status: 429, headers: { "retry-after": seconds } });
    const slow = scripted((n) => (n === 1 ? wait("1") : ok()), {
      retryDelayMs: { initial: 1, max: 5_000 },
    });
    let started = performance.now();
    await call(slow.client);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);

    const capped = scripted((n) => (n === 1 ? wait("3600") : ok()), {
      retryDelayMs: { initial: 1, max: 50 },
    });
    started = performance.now();
    await call(capped.client);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(capped.attempts).toHaveLength(2);
  });
});

it("Retry-After: 0 retries at once, whatever the backoff", async () => {
  const { client, attempts } = scripted(
    (n) => (n === 1 ? new Response("", { status: 503, headers: { "retry-after": "0" } }) : ok()),
    { retryDelayMs: { initial: 60_000, max: 60_000 } },
  );
  const started = performance.now();
  await call(client);
  expect(performance.now() - started).toBeLessThan(1_000);
  expect(attempts).toHaveLength(2);
});

describe("timeouts and aborts", () => {
  it("each attempt has its own timeout; persistent silence is a RequestTimeoutError", async () => {
    const server = await loopbackServer(() => {}); // never answers
    try {
      const client = createMeetingControlClient({
        token: "t0000000",
        baseUrl: server.url,
        timeoutMs: 100,
        maxRetries: 2,
        retryDelayMs: FAST,
      });
      const started = performance.now();
      const error = await call(client).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RequestTimeoutError);
      expect((error as Error).message).toBe("InviteOperateVideo timed out after 100 ms");
      expect(server.requests).toHaveLength(3);
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      await server.close();
    }
  });

  it("a body that stalls after the headers times out too", async () => {
    const server = await loopbackServer((_, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write("{");
    });
    try {
      const client = createMeetingControlClient({
        token: "t0000000",
        baseUrl: server.url,
        timeoutMs: 100,
        maxRetries: 0,
      });
      await expect(call(client)).rejects.toBeInstanceOf(RequestTimeoutError);
    } finally {
      await server.close();
    }
  });

  it("the caller's signal stops a request in flight at once, with no retry", async () => {
    const server = await loopbackServer(() => {});
    try {
      const client = createMeetingControlClient({
        token: "t0000000",
        baseUrl: server.url,
        timeoutMs: 5_000,
        maxRetries: 5,
      });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const started = performance.now();
      const error = await call(client, controller.signal).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RequestAbortedError);
      expect(error).toMatchObject({ operation: "InviteOperateVideo" });
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it("an abort during the backoff stops at once", async () => {
    const controller = new AbortController();
    const { client, attempts } = scripted(
      () => {
        setTimeout(() => controller.abort(), 20);
        return fail(503);
      },
      { retryDelayMs: { initial: 10_000, max: 10_000 } },
    );
    const started = performance.now();
    await expect(call(client, controller.signal)).rejects.toBeInstanceOf(RequestAbortedError);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(attempts).toHaveLength(1);
  });

  it("an already aborted signal sends nothing", async () => {
    const { client, attempts } = scripted(() => ok());
    await expect(call(client, AbortSignal.abort())).rejects.toBeInstanceOf(RequestAbortedError);
    expect(attempts).toHaveLength(0);
  });
});
