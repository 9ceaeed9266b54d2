import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { REFRESH_TOKEN_CODES, RETRYABLE_CODES } from "../src/generated/facts.js";
import {
  ClientRequestError,
  createMeetingControlClient,
  NetworkError,
  RedirectError,
  RequestAbortedError,
  RequestTimeoutError,
  ServerResponseError,
} from "../src/index.js";
import { retryAfterMs } from "../src/retry.js";
import { loopbackServer, stallPast } from "./server.js";

const IDS = { conferenceID: "986947855", participantID: "4a5rg64ag5p8pvvnam1rr6m8lqra6a61" };
// No real wait between attempts: the delays themselves are tested with retryAfterMs and fake timers.
const FAST = { initial: 0, max: 0 };

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

  it("retry a retryable code and refresh a refused token though a secret is inside the code (a PIN such as 111072)", async () => {
    const [retryable] = RETRYABLE_CODES as [string];
    const [refused] = REFRESH_TOKEN_CODES as [string];
    const pin = retryable.slice(4, 10);
    const { client, attempts } = scripted((n) => (n === 1 ? fail(400, retryable) : ok()), {
      token: pin,
      retryDelayMs: { initial: 0, max: 0 },
    });
    await expect(call(client)).resolves.toEqual({ requestId: "ok" });
    expect(attempts).toHaveLength(2);
    const once = scripted(() => fail(400, retryable), { token: pin, maxRetries: 0 });
    await expect(call(once.client)).rejects.toMatchObject({ code: retryable });

    // The host password inside the code that asks for a new token: the token is refreshed.
    const requests: string[] = [];
    const refreshing = createMeetingControlClient({
      hostPassword: refused.slice(4, 10),
      baseUrl: "https://api.meeting.test",
      retryDelayMs: { initial: 0, max: 0 },
      fetch: async (request) => {
        const path = new URL(request.url).pathname;
        requests.push(path);
        if (path.endsWith("/token"))
          return Response.json({ data: { token: `tok-${requests.length}` } });
        return requests.length === 2 ? fail(400, refused) : ok();
      },
    });
    await expect(call(refreshing)).resolves.toEqual({ requestId: "ok" });
    expect(requests.filter((path) => path.endsWith("/token"))).toHaveLength(2);
  });

  it("a custom fetch that throws what is no Error: a NetworkError that says what was thrown", async () => {
    const { client } = scripted(
      () => {
        throw "boom";
      },
      { maxRetries: 0 },
    );
    const error = await call(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toBe("InviteOperateVideo failed: fetch threw string");
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
    // The cleaned cause keeps what Node tells of the failed connection.
    const reason = ((error as Error).cause as Error).cause;
    const port = Number(new URL(url).port);
    expect(reason).toMatchObject(
      Object.hasOwn(Object(reason), "errors")
        ? {
            code: "ECONNREFUSED",
            errors: expect.arrayContaining([expect.objectContaining({ port })]),
          }
        : {
            code: "ECONNREFUSED",
            syscall: "connect",
            address: "127.0.0.1",
            port,
            errno: expect.any(Number),
          },
    );
  });

  it("every attempt is a fresh copy of the request, body included", async () => {
    const { client, attempts } = scripted((n) => (n < 3 ? fail(503) : ok()));
    await call(client);
    const bodies = await Promise.all(attempts.map((r) => r.text()));
    expect(bodies).toEqual(['{"status":0}', '{"status":0}', '{"status":0}']);
    expect(new Set(attempts).size).toBe(3);
  });
});

describe("Retry-After", () => {
  // Fake timers: the client's waits are measured on a clock the test moves, never slept through.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const answer = (retryAfter: string, status = 503) =>
    new Response("", { status, headers: { "retry-after": retryAfter } });

  /** How many attempts have been made after each step of fake time, in ms. */
  async function attemptsAt(retryAfter: string, steps: number[], options = {}) {
    const { client, attempts } = scripted((n) => (n === 1 ? answer(retryAfter) : ok()), {
      retryDelayMs: { initial: 10_000, max: 60_000 },
      ...options,
    });
    const done = call(client);
    const seen = [];
    for (const ms of steps) {
      await vi.advanceTimersByTimeAsync(ms);
      seen.push(attempts.length);
    }
    await vi.runAllTimersAsync();
    await expect(done).resolves.toEqual({ requestId: "ok" });
    return seen;
  }

  it("delta-seconds: waits exactly that long", async () => {
    expect(await attemptsAt("2", [0, 1_999, 1])).toEqual([1, 1, 2]);
  });

  it("0 retries at once, whatever the backoff", async () => {
    expect(await attemptsAt("0", [0])).toEqual([2]);
  });

  it("an HTTP-date: waits until then, in each of RFC 9110's three forms", async () => {
    for (const form of [
      (d: Date) => d.toUTCString(), // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
      (d: Date) => {
        const [day, date, month, year, time] = d.toUTCString().split(" ");
        const long = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
        const name = long.find((l) => l.startsWith(String(day).slice(0, 3)));
        return `${name}, ${date}-${month}-${String(year).slice(2)} ${time} GMT`; // RFC 850
      },
      (d: Date) => {
        const [day, date, month, year, time] = d.toUTCString().split(" ");
        return `${String(day).slice(0, 3)} ${month} ${String(Number(date)).padStart(2)} ${time} ${year}`; // asctime
      },
    ]) {
      const at = new Date(Math.ceil((Date.now() + 3_000) / 1000) * 1000); // whole seconds
      const wait = at.getTime() - Date.now();
      expect(await attemptsAt(form(at), [0, wait - 1, 1]), form(at)).toEqual([1, 1, 2]);
    }
  });

  it("a date in the past retries at once", async () => {
    expect(await attemptsAt("Sun, 06 Nov 1994 08:49:37 GMT", [0])).toEqual([2]);
  });

  // Before, "1.5" and "-5" went to Date.parse, which read them as dates in 2001: no wait at all.
  it.each(["1.5", "-5", "+3", "1e3", "soon", "", "Tue, 1.5", "3 seconds"])(
    "%j is not valid: the computed backoff applies (at least half of 10 s)",
    async (retryAfter) => {
      expect(await attemptsAt(retryAfter, [0, 4_999, 5_001])).toEqual([1, 1, 2]);
    },
  );

  it("is capped by retryDelayMs.max, like the backoff", async () => {
    const seen = await attemptsAt("3600", [0, 49, 1], { retryDelayMs: { initial: 1, max: 50 } });
    expect(seen).toEqual([1, 1, 2]);
  });

  it("retryAfterMs reads delta-seconds and dates, and nothing else", () => {
    const now = Date.parse("Sun, 06 Nov 1994 08:49:30 GMT");
    expect(retryAfterMs("7", now)).toBe(7_000);
    expect(retryAfterMs("Sun, 06 Nov 1994 08:49:37 GMT", now)).toBe(7_000);
    expect(retryAfterMs("Sunday, 06-Nov-94 08:49:37 GMT", now)).toBe(7_000);
    expect(retryAfterMs("Sun Nov  6 08:49:37 1994", now)).toBe(7_000);
    expect(retryAfterMs("Sun, 06 Nov 1994 08:49:00 GMT", now)).toBe(0);
    for (const junk of [
      null,
      "",
      "1.5",
      "-5",
      " 5",
      "5 ",
      "0x10",
      "Sun, 06 Nov 1994",
      // Date.parse reads these as dates in 2001 or 1999: a retry at once.
      "-1 00:00:00 GMT",
      "in 5 00:00:00 GMT",
      "99 12:00:00 GMT",
    ]) {
      expect(retryAfterMs(junk, now), String(junk)).toBeUndefined();
    }
  });
});

describe("timeouts and aborts", () => {
  it("each attempt has its own timeout; persistent silence is a RequestTimeoutError", async () => {
    const server = await loopbackServer(() => {}); // never answers
    try {
      // Attempts are counted as the client makes them: on a loaded machine a 100 ms attempt can
      // end before the server has read the request, so the server's own count can be lower.
      let attempts = 0;
      const client = createMeetingControlClient({
        token: "t0000000",
        baseUrl: server.url,
        timeoutMs: 100,
        maxRetries: 2,
        retryDelayMs: FAST,
        fetch: (request) => {
          attempts++;
          return fetch(request);
        },
      });
      const error = await call(client).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RequestTimeoutError);
      expect((error as Error).message).toBe("InviteOperateVideo timed out after 100 ms");
      expect(attempts).toBe(3);
    } finally {
      await server.close();
    }
  });

  it.each([
    ["a 503 invitation", 503],
    ["a 200 token answer", 200],
  ])("a body that stalls after the headers times out too: %s", async (_, status) => {
    // (A 200 invitation's body is not needed: it succeeds, see responses.test.ts.)
    const server = await loopbackServer((_, res) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.write("{");
    });
    try {
      const options = { baseUrl: server.url, timeoutMs: 100, maxRetries: 0 };
      const answer =
        status === 200
          ? createMeetingControlClient({
              hostPassword: "host-pass-123",
              ...options,
            }).createConfToken({ conferenceID: IDS.conferenceID })
          : call(createMeetingControlClient({ token: "t0000000", ...options }));
      await expect(answer).rejects.toBeInstanceOf(RequestTimeoutError);
    } finally {
      await server.close();
    }
  });

  it.each([
    ["a 302", "breaks off", 302, RedirectError],
    ["a 302", "stalls", 302, RedirectError],
    ["a 403", "breaks off", 403, ClientRequestError],
    ["a 403", "stalls", 403, ClientRequestError],
  ])(
    "%s whose body then %s is that answer's error, sent once (not a timeout or network error retried)",
    async (_, how, status, type) => {
      let attempts = 0;
      const server = await loopbackServer((_, res) => {
        attempts++;
        res.writeHead(status, {
          "content-type": "application/json",
          "content-length": "50",
          location: "https://elsewhere.example/",
        });
        if (how === "stalls") res.write("{");
        else res.write("{", () => res.destroy());
      });
      // A stalled body's timeout passes on a fake clock, once its status line is in.
      if (how === "stalls") vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
      try {
        const client = createMeetingControlClient({
          token: "t0000000",
          baseUrl: server.url,
          // On a fake clock when the body stalls: a minute costs nothing.
          timeoutMs: 60_000,
          maxRetries: 2,
          retryDelayMs: { initial: 0, max: 0 },
        });
        const answered = call(client).catch((e: unknown) => e);
        if (how === "stalls") await stallPast(1, 60_000);
        const error = await answered;
        expect(error).toBeInstanceOf(type);
        expect(error).toMatchObject({ status });
        expect(attempts).toBe(1);
      } finally {
        vi.useRealTimers();
        await server.close();
      }
    },
  );

  it("a 400 whose body breaks off is retried as before: its code, which could ask for a retry, never came", async () => {
    let attempts = 0;
    const server = await loopbackServer((_, res) => {
      attempts++;
      if (attempts > 1) return void res.writeHead(200, { "x-request-id": "ok" }).end("{}");
      res.writeHead(400, { "content-type": "application/json", "content-length": "50" });
      res.write("{", () => res.destroy());
    });
    try {
      const client = createMeetingControlClient({
        token: "t0000000",
        baseUrl: server.url,
        maxRetries: 2,
        retryDelayMs: { initial: 0, max: 0 },
      });
      expect(await call(client)).toEqual({ requestId: "ok" });
      expect(attempts).toBe(2);
    } finally {
      await server.close();
    }
  });

  it("the caller's signal stops a request in flight at once, with no retry", async () => {
    // The server aborts the call once it has the request, and never answers: with no timeout
    // to end it, only the abort can.
    const controller = new AbortController();
    const server = await loopbackServer(() => controller.abort());
    try {
      const client = createMeetingControlClient({
        token: "t0000000",
        baseUrl: server.url,
        timeoutMs: 2 ** 31 - 1,
        maxRetries: 5,
      });
      const error = await call(client, controller.signal).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RequestAbortedError);
      expect(error).toMatchObject({ operation: "InviteOperateVideo" });
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it("an abort during the backoff stops at once", async () => {
    // A backoff of 24 days: only the abort can end the wait.
    const controller = new AbortController();
    const { client, attempts } = scripted(
      () => {
        setTimeout(() => controller.abort(), 20);
        return fail(503);
      },
      { retryDelayMs: { initial: 2 ** 31 - 1, max: 2 ** 31 - 1 } },
    );
    await expect(call(client, controller.signal)).rejects.toBeInstanceOf(RequestAbortedError);
    expect(attempts).toHaveLength(1);
  });

  it("an already aborted signal sends nothing", async () => {
    const { client, attempts } = scripted(() => ok());
    await expect(call(client, AbortSignal.abort())).rejects.toBeInstanceOf(RequestAbortedError);
    expect(attempts).toHaveLength(0);
  });
});
