import { describe, expect, it, onTestFinished, vi } from "vitest";
import { TOKEN_LIFETIME_MS } from "../src/generated/facts.js";
import { ClientRequestError, createMeetingControlClient } from "../src/index.js";
import { json, loopbackServer } from "./server.js";

const PARTICIPANT = "4a5rg64ag5p8pvvnam1rr6m8lqra6a61";
const TOKEN_PATH = "/v1/mmc/control/conferences/token";

/**
 * A loopback stand-in for the service: issues `token-<conference>-<n>` tokens that live
 * `lifetime` seconds, and accepts a control call only with a token it issued and did not revoke.
 */
async function fakeService({ lifetime = 1800, tokenGate = Promise.resolve() } = {}) {
  const issued = new Map<string, string>();
  let count = 0;
  const revoked = new Set<string>();
  const service = await loopbackServer(async (request, res) => {
    const conferenceID = request.url.searchParams.get("conferenceID") ?? "";
    if (request.url.pathname === TOKEN_PATH) {
      if (request.headers["x-password"] !== "host-pass-123") {
        return json(res, 400, {
          error_code: "MMC.111072065",
          error_msg: "CONF_NOT_FOUND_OR_AUTH_FAILED",
        });
      }
      await tokenGate; // the test decides when a token is issued, not a clock
      const token = `token-${conferenceID}-${++count}`;
      issued.set(token, conferenceID);
      return json(res, 200, { data: { token, confTokenExpireTime: lifetime, role: 1 } });
    }
    const token = String(request.headers["x-conference-authorization"]);
    if (issued.get(token) !== conferenceID || revoked.has(token)) {
      return json(res, 401, { error_code: "USG.000000004", error_msg: "Illegal request" });
    }
    return json(res, 200, {});
  });
  const tokenRequests = () => service.requests.filter((r) => r.url.pathname === TOKEN_PATH);
  return { ...service, tokenRequests, revoke: (token: string) => revoked.add(token) };
}

/** A fake service for this test only (closed when it ends) and a hostPassword client on it. */
async function withService(options?: Parameters<typeof fakeService>[0]) {
  const service = await fakeService(options);
  onTestFinished(() => service.close());
  const client = createMeetingControlClient({
    hostPassword: "host-pass-123",
    baseUrl: service.url,
  });
  return { service, client };
}

/** Waits for `condition`, turning the event loop (no clock involved in what is asserted). */
async function until(condition: () => boolean) {
  while (!condition()) await new Promise((r) => setTimeout(r, 5));
}

const camera = (client: ReturnType<typeof createMeetingControlClient>, conferenceID: string) =>
  client.inviteCamera({ conferenceID, participantID: PARTICIPANT, action: "enable" });

describe("with hostPassword, the client manages tokens", () => {
  it("gets a token with CreateConfToken and reuses it for the same conference", async () => {
    const { service, client } = await withService();
    await camera(client, "1000001");
    await camera(client, "1000001");
    await client.inviteScreenShare({
      conferenceID: "1000001",
      participantID: PARTICIPANT,
      action: "invite",
    });
    expect(service.tokenRequests()).toHaveLength(1);
    const control = service.requests.filter((r) => r.url.pathname !== TOKEN_PATH);
    expect(control.map((r) => r.headers["x-conference-authorization"])).toEqual(
      Array(3).fill("token-1000001-1"),
    );
  });

  it("keeps one token per conference", async () => {
    const { service, client } = await withService();
    await camera(client, "1000001");
    await camera(client, "1000002");
    await camera(client, "1000001");
    expect(service.tokenRequests().map((r) => r.url.searchParams.get("conferenceID"))).toEqual([
      "1000001",
      "1000002",
    ]);
  });

  it("concurrent calls share one token request", async () => {
    let release = () => {};
    const tokenGate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { service, client } = await withService({ tokenGate });
    const calls = Array.from({ length: 25 }, () => camera(client, "1000001"));
    await until(() => service.tokenRequests().length > 0);
    release();
    await Promise.all(calls);
    expect(service.tokenRequests()).toHaveLength(1);
  });

  it("gets a new token shortly before the old one expires", async () => {
    // A 60-second token is inside the refresh margin at once: every call needs a new one.
    const { service, client } = await withService({ lifetime: 60 });
    await camera(client, "1000001");
    await camera(client, "1000001");
    expect(service.tokenRequests()).toHaveLength(2);
  });

  it("a 401 on a cached token refreshes it once and retries", async () => {
    const { service, client } = await withService();
    await camera(client, "1000001");
    service.revoke("token-1000001-1");
    await expect(camera(client, "1000001")).resolves.toMatchObject({
      requestId: expect.any(String),
    });
    expect(service.tokenRequests()).toHaveLength(2);
    expect(service.requests.at(-1)?.headers["x-conference-authorization"]).toBe("token-1000001-2");
  });

  it("a 400 CONF_NOT_FOUND_OR_AUTH_FAILED on a cached token refreshes it too", async () => {
    let refusals = 1;
    const service = await loopbackServer((request, res) => {
      if (request.url.pathname === TOKEN_PATH)
        return json(res, 200, { data: { token: `t-${Math.random()}` } });
      if (refusals-- > 0) {
        return json(res, 400, {
          error_code: "MMC.111072065",
          error_msg: "CONF_NOT_FOUND_OR_AUTH_FAILED",
        });
      }
      return json(res, 200, {});
    });
    try {
      const client = createMeetingControlClient({
        hostPassword: "host-pass-123",
        baseUrl: service.url,
      });
      await expect(camera(client, "1000001")).resolves.toBeDefined();
      expect(service.requests.filter((r) => r.url.pathname === TOKEN_PATH)).toHaveLength(2);
    } finally {
      await service.close();
    }
  });

  it("an abort stops a caller waiting for a shared token at once; the others still get it", async () => {
    // The token is held back until the impatient caller has given up: it cannot have waited.
    let release = () => {};
    const tokenGate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { service, client } = await withService({ tokenGate });
    const controller = new AbortController();
    const patient = camera(client, "1000001");
    const impatient = client.inviteCamera({
      conferenceID: "1000001",
      participantID: PARTICIPANT,
      action: "disable",
      signal: controller.signal,
    });
    await until(() => service.tokenRequests().length > 0);
    controller.abort();
    await expect(impatient).rejects.toMatchObject({
      name: "RequestAbortedError",
      operation: "InviteOperateVideo",
    });
    release();
    await expect(patient).resolves.toBeDefined();
    expect(service.tokenRequests()).toHaveLength(1);
  });

  it("an already aborted caller does not ask for a token: no password is sent", async () => {
    const sent: Request[] = [];
    const client = createMeetingControlClient({
      hostPassword: "host-pass-123",
      baseUrl: "https://api.meeting.test",
      fetch: async (request) => {
        sent.push(request);
        return new Response(null, { status: 500 });
      },
    });
    for (const action of ["enable", "disable"] as const) {
      const call = client.inviteCamera({
        conferenceID: "1000001",
        participantID: PARTICIPANT,
        action,
        signal: AbortSignal.abort(),
      });
      await expect(call).rejects.toMatchObject({ name: "RequestAbortedError" });
    }
    expect(sent).toEqual([]);
  });

  it("a 401 that persists after the refresh is thrown, not looped", async () => {
    const { service, client } = await withService();
    await camera(client, "1000001");
    service.revoke("token-1000001-1");
    service.revoke("token-1000001-2");
    await expect(camera(client, "1000001")).rejects.toMatchObject({
      name: "ClientRequestError",
      status: 401,
    });
    expect(service.tokenRequests()).toHaveLength(2);
  });

  it("a 401 with a caller-supplied token is not retried", async () => {
    const service = await fakeService();
    onTestFinished(() => service.close());
    const client = createMeetingControlClient({ token: "not-issued", baseUrl: service.url });
    await expect(camera(client, "1000001")).rejects.toBeInstanceOf(ClientRequestError);
    expect(service.requests).toHaveLength(1);
  });

  it("a failed token request is not cached", async () => {
    const service = await fakeService();
    onTestFinished(() => service.close());
    let password = "wrong-pass";
    const client = createMeetingControlClient({
      hostPassword: () => password,
      baseUrl: service.url,
    });
    await expect(camera(client, "1000001")).rejects.toMatchObject({
      operation: "CreateConfToken",
      code: "MMC.111072065",
    });
    password = "host-pass-123";
    await expect(camera(client, "1000001")).resolves.toBeDefined();
    expect(service.tokenRequests()).toHaveLength(2);
  });

  it("a stalled hostPassword function: the call times out at timeoutMs, and the next call asks again", async () => {
    const service = await fakeService();
    onTestFinished(() => service.close());
    let lookups = 0;
    const client = createMeetingControlClient({
      // The vault never answers its first lookup, then recovers.
      hostPassword: () => (lookups++ === 0 ? new Promise<string>(() => {}) : "host-pass-123"),
      baseUrl: service.url,
      timeoutMs: 10_000,
    });
    // The lookup never settles: its 10 s pass on a fake clock, once it has been asked. The next
    // call's real token request then has the same limit in real time.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    let settled = false;
    const stalled = camera(client, "1000001")
      .catch((error: unknown) => error)
      .finally(() => {
        settled = true;
      });
    // Not vi.waitFor: under fake timers it moves the clock at each check.
    while (lookups < 1) await new Promise((resolve) => setImmediate(resolve));
    await vi.advanceTimersByTimeAsync(9_999);
    expect(settled, "settled before timeoutMs").toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    vi.useRealTimers();
    expect(await stalled).toMatchObject({
      name: "RequestTimeoutError",
      operation: "CreateConfToken",
      message: "CreateConfToken timed out after 10000 ms waiting for hostPassword",
    });
    expect(service.requests).toHaveLength(0);
    await expect(camera(client, "1000001")).resolves.toBeDefined();
    expect(lookups).toBe(2);
    expect(service.tokenRequests()).toHaveLength(1);
  });

  it.each(["token", "hostPassword"] as const)(
    "a stalled %s function: the caller's signal stops the call at once; a fired one asks for nothing",
    async (field) => {
      let lookups = 0;
      const stalled = () => {
        lookups++;
        return new Promise<string>(() => {});
      };
      const client = createMeetingControlClient({
        ...(field === "token" ? { token: stalled } : { hostPassword: stalled }),
        baseUrl: "https://api.meeting.test",
        fetch: () => Promise.reject(new Error("no request was expected")),
        // No limit to end the lookup: only the signal can.
        timeoutMs: 2 ** 31 - 1,
      });
      const controller = new AbortController();
      const call = (signal: AbortSignal) =>
        field === "token"
          ? client.inviteCamera({
              conferenceID: "1000001",
              participantID: PARTICIPANT,
              action: "enable",
              signal,
            })
          : client.createConfToken({ conferenceID: "1000001", signal });
      const pending = call(controller.signal);
      await until(() => lookups === 1);
      controller.abort();
      await expect(pending).rejects.toMatchObject({ name: "RequestAbortedError" });
      await expect(call(AbortSignal.abort())).rejects.toMatchObject({
        name: "RequestAbortedError",
      });
      expect(lookups).toBe(1);
    },
  );

  /** A client with a host password and room for two conferences' tokens, and its service. */
  const cachingTwo = async () => {
    const service = await fakeService();
    onTestFinished(() => service.close());
    const client = createMeetingControlClient({
      hostPassword: "host-pass-123",
      baseUrl: service.url,
      tokenCacheSize: 2,
    });
    return { service, client };
  };

  it("the cache is bounded: past tokenCacheSize the least recently used conference goes", async () => {
    const { service, client } = await cachingTwo();
    await camera(client, "1000001");
    await camera(client, "1000002");
    await camera(client, "1000001"); // 1000001 is now the most recently used
    await camera(client, "1000003"); // evicts 1000002
    expect(service.tokenRequests()).toHaveLength(3);
    await camera(client, "1000001");
    expect(service.tokenRequests()).toHaveLength(3);
    await camera(client, "1000002");
    expect(service.tokenRequests()).toHaveLength(4);
  });

  it("past tokenCacheSize, concurrent calls still share one CreateConfToken per conference", async () => {
    const { service, client } = await cachingTwo();
    // Five calls to each of three conferences, all at once: a token still being fetched is not
    // evicted for the next conference, which made each call ask again, with the password.
    const ids = ["1000001", "1000002", "1000003"];
    await Promise.all(Array.from({ length: 15 }, (_, i) => camera(client, ids[i % 3] as string)));
    expect(service.tokenRequests()).toHaveLength(3);
  });

  it("a long-running server with thousands of meetings keeps at most tokenCacheSize tokens", async () => {
    let fetched = 0;
    const client = createMeetingControlClient({
      hostPassword: "host-pass-123",
      baseUrl: "https://api.meeting.test",
      tokenCacheSize: 100,
      fetch: async (request) => {
        const conferenceID = new URL(request.url).searchParams.get("conferenceID");
        if (new URL(request.url).pathname === TOKEN_PATH) {
          fetched++;
          return Response.json({
            data: { token: `token-${conferenceID}`, confTokenExpireTime: 1800 },
          });
        }
        return new Response(null, { status: 200 });
      },
    });
    for (let i = 0; i < 3000; i++) await camera(client, String(1_000_000 + i));
    expect(fetched).toBe(3000);
    // The last 100 are still cached; the first ones were evicted and need a new token.
    for (let i = 2900; i < 3000; i++) await camera(client, String(1_000_000 + i));
    expect(fetched).toBe(3000);
    await camera(client, "1000000");
    expect(fetched).toBe(3001);
  });
});

describe("a token answer the client cannot use", () => {
  const answering = async (data: unknown) => {
    const server = await loopbackServer((request, res) =>
      request.url.pathname === TOKEN_PATH ? json(res, 200, { data }) : json(res, 200, {}),
    );
    onTestFinished(() => server.close());
    const client = createMeetingControlClient({
      hostPassword: "host-pass-123",
      baseUrl: server.url,
    });
    return { server, client };
  };

  it.each([
    ["a line break (it would forge a header)", "abc\r\nX-Injected: 1"],
    ["a space", "abc def"],
    ["a non-ASCII letter", "tökén"],
    ["blanks", "   "],
  ])("a token with %s is refused, not cached to fail every call", async (_, token) => {
    const { server, client } = await answering({ token });
    for (let i = 0; i < 2; i++) {
      await expect(camera(client, "986947855")).rejects.toMatchObject({
        name: "InvalidResponseError",
        message: "CreateConfToken answered 2xx without a usable data.token",
      });
    }
    // Asked again each time, and no control request was sent with it.
    expect(server.requests.map((r) => r.url.pathname)).toEqual([TOKEN_PATH, TOKEN_PATH]);
  });

  it.each([["soon"], [1e300], [Number.NaN]])(
    "a lifetime of %s: a valid expiry (the spec's 30 minutes), not an Invalid Date",
    async (confTokenExpireTime) => {
      const { client } = await answering({ token: "tok", confTokenExpireTime });
      const before = Date.now();
      const { expiresAt } = await client.createConfToken({ conferenceID: "986947855" });
      expect(expiresAt.getTime()).toBeGreaterThanOrEqual(before + TOKEN_LIFETIME_MS);
      expect(expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + TOKEN_LIFETIME_MS);
    },
  );
});
