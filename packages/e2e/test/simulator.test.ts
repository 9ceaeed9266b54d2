// The client end to end against the mock's simulator: real HTTP, a real meeting's rules, and the
// simulator's journal to show what the client asked. Waits the client would sleep through are
// on fake timers, or zero.

import { createMeetingControlClient, NetworkError } from "@meeting-control/client";
import { type SimulatingMockServer, startMockServer } from "@meeting-control/mock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

const IDS = { conferenceID: "986947855", participantID: "4a5rg64ag5p8pvvnam1rr6m8lqra6a61" };
const HOST_PASSWORD = "sample-host-password";
let mock: SimulatingMockServer;

beforeAll(async () => {
  mock = await startMockServer({
    port: 0,
    meetings: [
      {
        conferenceID: IDS.conferenceID,
        hostPassword: HOST_PASSWORD,
        participants: [{ participantID: IDS.participantID }],
      },
    ],
  });
});
beforeEach(() => mock.reset());
afterAll(() => mock?.close());

/** What the client sent, operation by operation, and the status of each answer. */
const sent = () => mock.requests().map((e) => `${e.operation} ${e.status ?? "dropped"}`);

describe("the client against the simulator", () => {
  it("fetches a token once, is refused it after 31 minutes, refreshes it once and retries the call", async () => {
    const client = createMeetingControlClient({ hostPassword: HOST_PASSWORD, baseUrl: mock.url });
    await client.inviteCamera({ ...IDS, action: "enable" });
    await client.inviteScreenShare({ ...IDS, action: "invite" });
    mock.advanceTime(31 * 60_000);
    const late = await client.inviteCamera({ ...IDS, action: "disable" });
    expect(sent()).toEqual([
      "CreateConfToken 200",
      "InviteOperateVideo 200",
      "InviteShare 200",
      "InviteOperateVideo 401",
      "CreateConfToken 200",
      "InviteOperateVideo 200",
    ]);
    const [participant] = mock.meeting(IDS.conferenceID)?.participants ?? [];
    expect(participant?.camera).toMatchObject({ action: "disable", requestId: late.requestId });
    expect(participant?.share?.action).toBe("invite");
  });

  it("gets the simulator's codes as typed errors: a wrong host password, a participant not in the meeting", async () => {
    const wrong = createMeetingControlClient({ hostPassword: "wrong", baseUrl: mock.url });
    await expect(wrong.inviteCamera({ ...IDS, action: "enable" })).rejects.toMatchObject({
      name: "ClientRequestError",
      status: 400,
      code: "MMC.111072065",
    });
    const client = createMeetingControlClient({ hostPassword: HOST_PASSWORD, baseUrl: mock.url });
    await expect(
      client.inviteScreenShare({ ...IDS, participantID: "not-here", action: "invite" }),
    ).rejects.toMatchObject({ status: 400, code: "MMC.111070005" });
  });

  it("retries a dropped connection, and stops after maxRetries with a NetworkError", async () => {
    const client = createMeetingControlClient({
      hostPassword: HOST_PASSWORD,
      baseUrl: mock.url,
      maxRetries: 1,
      retryDelayMs: { initial: 0, max: 0 },
    });
    mock.fault({ operation: "InviteOperateVideo", drop: true });
    await client.inviteCamera({ ...IDS, action: "enable" });
    mock.fault({ operation: "InviteOperateVideo", drop: true, count: 2 });
    await expect(client.inviteCamera({ ...IDS, action: "enable" })).rejects.toBeInstanceOf(
      NetworkError,
    );
    expect(
      mock.requests({ operation: "InviteOperateVideo" }).map((e) => e.fault ?? e.status),
    ).toEqual(["drop", 200, "drop", "drop"]);
  });
});

describe("the client on the answers the service and its gateways document (faults)", () => {
  it("a 200 with no body and no Content-Type is a success, with its request id", async () => {
    const client = createMeetingControlClient({ hostPassword: HOST_PASSWORD, baseUrl: mock.url });
    mock.fault({ operation: "InviteOperateVideo", noBody: true });
    mock.fault({ operation: "InviteShare", noBody: true });
    const camera = await client.inviteCamera({ ...IDS, action: "enable" });
    const share = await client.inviteScreenShare({ ...IDS, action: "invite" });
    const entries = mock.requests().filter((e) => e.operation !== "CreateConfToken");
    expect(entries.map((e) => [e.fault, e.requestId])).toEqual([
      ["no-body", camera.requestId],
      ["no-body", share.requestId],
    ]);
  });

  it("a gateway's HTML 502 is a ServerResponseError with its status, not a parse error", async () => {
    const client = createMeetingControlClient({
      hostPassword: HOST_PASSWORD,
      baseUrl: mock.url,
      maxRetries: 0,
    });
    mock.fault({
      operation: "InviteShare",
      status: 502,
      body: "<html><body>502 Bad Gateway</body></html>",
      contentType: "text/html",
    });
    await expect(client.inviteScreenShare({ ...IDS, action: "invite" })).rejects.toMatchObject({
      name: "ServerResponseError",
      status: 502,
    });
  });
});

describe("waits on fake timers (the clock the test moves), over real HTTP", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  // Not expect.poll, which moves fake timers itself. setImmediate is real here.
  const turn = () => new Promise((resolve) => setImmediate(resolve));
  /** A few turns of the event loop: any call that is due has started. */
  const settle = async () => {
    for (let i = 0; i < 5; i++) await turn();
  };

  /**
   * The client's fetch, counted, with each answer read whole before the client sees it: while a
   * request is on the wire the test waits on the network, and once its status is here, all the
   * client has left to do is in memory.
   */
  function counted() {
    const seen = { calls: 0, inFlight: 0, statuses: [] as number[] };
    const fetcher = async (request: Request) => {
      seen.calls++;
      seen.inFlight++;
      try {
        const response = await fetch(request);
        const body = await response.arrayBuffer();
        seen.statuses.push(response.status);
        return new Response(body, { status: response.status, headers: response.headers });
      } finally {
        seen.inFlight--;
      }
    };
    /**
     * Turns the event loop until `ready`, moving the clock 10 ms at a time, but only while no
     * request is on the wire: no attempt times out for the machine being slow, and a request that
     * fails on its own (a kept-alive connection the mock has just closed) is still retried after
     * its backoff, instead of the test waiting for ever.
     */
    const until = async (ready: () => boolean) => {
      while (!ready()) {
        if (seen.inFlight === 0) await vi.advanceTimersByTimeAsync(10);
        await turn();
      }
    };
    const drive = async <T>(promise: Promise<T>): Promise<T> => {
      let done = false;
      const mark = () => {
        done = true;
      };
      promise.then(mark, mark);
      await until(() => done);
      return promise;
    };
    return { seen, fetch: fetcher, until, drive };
  }

  it("a 503 with Retry-After: 1: waits that second, then retries once and succeeds", async () => {
    const { seen, fetch, until, drive } = counted();
    const client = createMeetingControlClient({
      hostPassword: HOST_PASSWORD,
      baseUrl: mock.url,
      fetch,
    });
    mock.fault({ operation: "InviteShare", status: 503, retryAfter: 1 });
    const done = client.inviteScreenShare({ ...IDS, action: "invite" });
    await until(() => seen.statuses.length === 2); // the token, then the fault
    expect(seen.statuses).toEqual([200, 503]);
    const calls = seen.calls;
    await vi.advanceTimersByTimeAsync(999);
    await settle();
    expect(seen.calls, "a request before Retry-After's second was up").toBe(calls);
    await vi.advanceTimersByTimeAsync(1);
    await expect(drive(done)).resolves.toEqual({
      requestId: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(seen.statuses).toEqual([200, 503, 200]);
    expect(mock.requests({ operation: "InviteShare" }).map((e) => e.status)).toEqual([503, 200]);
  });

  it("a delayed answer: the attempt times out, and the retry succeeds", async () => {
    const { seen, fetch, until, drive } = counted();
    const client = createMeetingControlClient({
      hostPassword: HOST_PASSWORD,
      baseUrl: mock.url,
      timeoutMs: 100,
      retryDelayMs: { initial: 10, max: 10 },
      fetch,
    });
    await drive(client.inviteScreenShare({ ...IDS, action: "invite" })); // the token, at no delay
    // The mock runs in this process: its delay is on the same fake clock.
    mock.fault({ operation: "InviteShare", delayMs: 5_000 });
    const done = client.inviteScreenShare({ ...IDS, action: "cancel" });
    await until(() => mock.faults().length === 0); // the mock holds the request
    // Time moves until the retry is sent (the attempt's 100 ms, then 10 ms of backoff), and then
    // only while no request is on the wire, so that the retry cannot time out however slow the
    // machine is.
    const held = seen.calls;
    while (seen.calls === held) {
      await vi.advanceTimersByTimeAsync(10);
      await settle();
    }
    await expect(drive(done)).resolves.toEqual({ requestId: expect.any(String) });
    const entries = () =>
      mock.requests({ operation: "InviteShare" }).map((e) => e.fault ?? e.status);
    while (entries().length < 3) await turn();
    expect(entries()).toEqual([200, "delay", 200]);
    expect(mock.meeting(IDS.conferenceID)?.participants[0]?.share?.action).toBe("cancel");
  });
});
