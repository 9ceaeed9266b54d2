// Where each attempt's signal travels. A custom `fetch` gets it inside the `Request` it is called
// with; the global `fetch` gets it as `init.signal` beside a `Request` that carries none (undici
// tracks a signal inside a Request at a cost). Both time out all the same. The Requests an
// operation builds are watched through a middleware on `client.raw`, the same openapi-fetch
// client: nothing global is replaced.
import { afterEach, describe, expect, it, onTestFinished, vi } from "vitest";
import {
  createMeetingControlClient,
  RequestAbortedError,
  RequestTimeoutError,
} from "../src/index.js";
import { json, loopbackServer } from "./server.js";

const IDS = { conferenceID: "986947855", participantID: "4a5rg64ag5p8pvvnam1rr6m8lqra6a61" };

/** The Requests the client's operations build, as openapi-fetch hands them on. */
function watch(client: ReturnType<typeof createMeetingControlClient>) {
  const built: Request[] = [];
  client.raw.use({
    onRequest({ request }) {
      built.push(request);
    },
  });
  return built;
}

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

  it("is called with the very Request openapi-fetch built", async () => {
    const received: Request[] = [];
    const client = createMeetingControlClient({
      token: "stbaf8fa2ea8-example",
      baseUrl: "https://api.meeting.test",
      fetch: async (request) => {
        received.push(request);
        return new Response(null, { status: 200 });
      },
    });
    const built = watch(client);
    await client.inviteScreenShare({ ...IDS, action: "invite" });
    expect(received).toHaveLength(1);
    expect(received[0]).toBe(built[0]);
    expect(received[0]?.redirect).toBe("manual");
  });
});

describe("the global fetch", () => {
  it("gets the signal beside the Request, and each attempt still times out", async () => {
    const silent = await loopbackServer(() => {}); // never answers
    onTestFinished(() => silent.close());
    const client = createMeetingControlClient({
      token: "t0000000",
      baseUrl: silent.url,
      timeoutMs: 100,
      maxRetries: 1,
      retryDelayMs: { initial: 1, max: 1 },
    });
    const built = watch(client);
    const error = await client.inviteCamera({ ...IDS, action: "disable" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect((error as Error).message).toBe("InviteOperateVideo timed out after 100 ms");
    // Two attempts, each timed out, and neither Request carried the signal that ended it.
    expect(built).toHaveLength(2);
    expect(built.map((r) => r.signal.aborted)).toEqual([false, false]);
  });

  // On Node 20 the global fetch's attempts reuse idle controllers (options.ts): one that timed
  // out or was aborted must end nothing else, and no two attempts in flight may share one.
  it("a timeout or an abort ends only its own call, before and after many others", async () => {
    const server = await loopbackServer((request, response) => {
      if (request.url.searchParams.get("participantID") !== "silent") json(response, 200, {});
    });
    onTestFinished(() => server.close());
    // Sized for a loaded machine: only the silent calls may run out of time.
    const client = createMeetingControlClient({
      token: "t0000000",
      baseUrl: server.url,
      timeoutMs: 2_000,
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
    const caller = new AbortController();
    const silent = [answered("silent"), answered("silent", caller.signal)];
    expect(await many()).toEqual(OK);
    caller.abort();
    expect(await Promise.all(silent)).toEqual([RequestTimeoutError.name, RequestAbortedError.name]);
    expect(await many()).toEqual(OK);
  });
});
