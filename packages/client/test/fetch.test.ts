// Where each attempt's signal travels. A custom `fetch` gets it inside the `Request` it is called
// with. The global `fetch` gets it as `init.signal`, beside the URL and init openapi-fetch built
// the request from rather than a Request (fetch would copy a Request it is given, body and all).
// Both time out all the same. What the global fetch is called with is seen through a spy that
// calls it through: neither an injected fetch nor a server can show it, and nothing is replaced.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, describe, expect, it, onTestFinished, vi } from "vitest";
import {
  createMeetingControlClient,
  RequestAbortedError,
  RequestTimeoutError,
} from "../src/index.js";
import { json, loopbackServer } from "./server.js";

const IDS = { conferenceID: "986947855", participantID: "4a5rg64ag5p8pvvnam1rr6m8lqra6a61" };

describe("a custom fetch", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("gets a Request that carries the attempt's signal, so each attempt times out", async () => {
    // Fake timers: each 1 s attempt and the backoff pass on a clock the test moves.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const received: Request[] = [];
    const client = createMeetingControlClient({
      token: "stbaf8fa2ea8-example",
      baseUrl: "https://api.meeting.test",
      timeoutMs: 1_000,
      maxRetries: 1,
      retryDelayMs: { initial: 10, max: 10 },
      // A server that never answers: only the Request's signal ends the wait.
      fetch: (request) => {
        received.push(request);
        return new Promise((_, reject) => {
          request.signal.addEventListener("abort", () => reject(request.signal.reason));
        });
      },
    });
    const result = client.inviteCamera({ ...IDS, action: "enable" }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(999);
    expect(received).toHaveLength(1);
    expect(received[0]?.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(received[0]?.signal.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(10 + 1_000);
    const error = await result;
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect((error as Error).message).toBe("InviteOperateVideo timed out after 1000 ms");
    expect(received).toHaveLength(2);
    expect(received.map((r) => r.signal.aborted)).toEqual([true, true]);
  });

  it("that waits on its Request's signal still times out, and still hears the caller's abort, after a garbage collection", async () => {
    // The Request's signal follows the attempt's only weakly (undici): once the Request is
    // collected, nothing reaches a fetch that waits on it. The client must not wait with it.
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const waiting = (request: Request) =>
      new Promise<Response>((_, reject) => {
        request.signal.addEventListener("abort", () => reject(request.signal.reason));
      });
    const client = (timeoutMs: number) =>
      createMeetingControlClient({
        token: "stbaf8fa2ea8-example",
        baseUrl: "https://api.meeting.test",
        timeoutMs,
        maxRetries: 0,
        fetch: waiting,
      });
    const collected = async () => {
      for (let i = 0; i < 3; i++) {
        await new Promise((resolve) => setImmediate(resolve));
        gc();
      }
    };
    const timedOut = client(300)
      .inviteCamera({ ...IDS, action: "enable" })
      .catch((e: unknown) => e);
    await collected();
    expect(await timedOut).toBeInstanceOf(RequestTimeoutError);
    const caller = new AbortController();
    const aborted = client(60_000)
      .inviteCamera({ ...IDS, action: "enable", signal: caller.signal })
      .catch((e: unknown) => e);
    await collected();
    caller.abort();
    expect(await aborted).toBeInstanceOf(RequestAbortedError);
  });

  it("is called with a Request it can rely on: built in full, redirect manual, signal inside", async () => {
    const received: Request[] = [];
    const client = createMeetingControlClient({
      token: "stbaf8fa2ea8-example",
      baseUrl: "https://api.meeting.test",
      fetch: async (request) => {
        received.push(request);
        return new Response(null, { status: 200 });
      },
    });
    await client.inviteScreenShare({ ...IDS, action: "invite" });
    expect(received).toHaveLength(1);
    const [request] = received as [Request];
    expect(request).toBeInstanceOf(Request);
    expect(request.method).toBe("PUT");
    expect(request.url).toBe(
      `https://api.meeting.test/v1/mmc/control/conferences/participants/share/invite?conferenceID=${IDS.conferenceID}&participantID=${IDS.participantID}`,
    );
    expect(request.headers.get("x-conference-authorization")).toBe("stbaf8fa2ea8-example");
    expect(request.headers.get("content-type")).toBe("application/json");
    expect(await request.text()).toBe('{"share":1}');
    expect(request.redirect).toBe("manual");
    expect(request.signal.aborted).toBe(false);
  });
});

describe("the global fetch", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("gets the URL and init with the signal as init.signal, and each attempt still times out", async () => {
    const silent = await loopbackServer(() => {}); // never answers
    onTestFinished(() => silent.close());
    const client = createMeetingControlClient({
      token: "t0000000",
      baseUrl: silent.url,
      timeoutMs: 100,
      maxRetries: 1,
      retryDelayMs: { initial: 0, max: 0 },
    });
    const calls = vi.spyOn(globalThis, "fetch").mock.calls;
    const error = await client.inviteCamera({ ...IDS, action: "disable" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect((error as Error).message).toBe("InviteOperateVideo timed out after 100 ms");
    // Two attempts, each given its URL, its init and a signal of its own that its timeout ended.
    // Counted as the client makes them: the server can miss an attempt aborted before it arrived.
    expect(calls).toHaveLength(2);
    const url = `${silent.url}/v1/mmc/control/conferences/participants/video?conferenceID=${IDS.conferenceID}&participantID=${IDS.participantID}`;
    for (const [input, init] of calls) {
      expect(input).toBe(url);
      expect(init).toMatchObject({ method: "PUT", redirect: "manual", body: '{"status":1}' });
      expect(new Headers(init?.headers).get("x-conference-authorization")).toBe("t0000000");
    }
    const [first, second] = calls.map(([, init]) => init?.signal);
    expect(first).not.toBe(second);
    expect([first?.aborted, second?.aborted]).toEqual([true, true]);
  });

  it("a middleware added to client.raw sees raw's calls, not the operations'", async () => {
    const server = await loopbackServer((_, response) => json(response, 200, {}));
    onTestFinished(() => server.close());
    const client = createMeetingControlClient({ token: "t0000000", baseUrl: server.url });
    const seen: string[] = [];
    client.raw.use({
      onRequest({ request }) {
        seen.push(new URL(request.url).pathname);
      },
    });
    await client.inviteCamera({ ...IDS, action: "enable" });
    await client.raw.PUT("/v1/mmc/control/conferences/participants/share/invite", {
      params: { query: IDS },
      body: { share: 0 },
      parseAs: "text",
    });
    expect(server.requests.map((r) => r.url.pathname)).toEqual([
      "/v1/mmc/control/conferences/participants/video",
      "/v1/mmc/control/conferences/participants/share/invite",
    ]);
    expect(seen).toEqual(["/v1/mmc/control/conferences/participants/share/invite"]);
  });

  // A timeout or an abort must end nothing else: no two attempts may share a controller.
  it("a timeout or an abort ends only its own call, before and after many others", async () => {
    const server = await loopbackServer((request, response) => {
      if (request.url.searchParams.get("participantID") !== "silent") json(response, 200, {});
    });
    onTestFinished(() => server.close());
    // One client, so one timeoutMs for all. The silent calls' timers run on a fake clock the test
    // moves past timeoutMs once the calls around them have been answered; the loopback answers
    // themselves need no timer.
    const client = createMeetingControlClient({
      token: "t0000000",
      baseUrl: server.url,
      timeoutMs: 10_000,
      maxRetries: 0,
    });
    const answered = (participantID: string, signal?: AbortSignal) =>
      client
        .inviteCamera({ ...IDS, participantID, action: "enable", ...(signal && { signal }) })
        .then(
          ({ requestId }) => requestId,
          (error: unknown) => (error as Error).name,
        );
    const many = async () => {
      const seen: unknown[] = [];
      for (let round = 0; round < 5; round++) {
        seen.push(...(await Promise.all(Array.from({ length: 8 }, () => answered("p")))));
      }
      return seen;
    };
    const OK = Array(40).fill("f78b007ec2dabf1498620131c7bc19e0");
    expect(await many()).toEqual(OK);
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const caller = new AbortController();
    const silent = [answered("silent"), answered("silent", caller.signal)];
    expect(await many()).toEqual(OK);
    caller.abort();
    await vi.advanceTimersByTimeAsync(10_000);
    vi.useRealTimers();
    expect(await Promise.all(silent)).toEqual([RequestTimeoutError.name, RequestAbortedError.name]);
    expect(await many()).toEqual(OK);
  });
});
