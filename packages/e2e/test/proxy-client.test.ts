// Proxy mode in front of a faithful upstream (the simulator): the client works through it
// unchanged, and 1,000 mixed requests leave 0 violations.
import { createMeetingControlClient } from "@meeting-control/client";
import { ERROR_CODES } from "@meeting-control/client/error-codes";
import { startMockServer } from "@meeting-control/mock";
import { TEST_MEETINGS } from "@meeting-control/testkit/meetings";
import { describe, expect, it, onTestFinished } from "vitest";

// One meeting of each kind, so that the answers are mixed: successes and documented refusals.
const MEETINGS = TEST_MEETINGS;

describe("in front of the simulator", () => {
  it("gives 0 violations over 1,000 mixed requests from the client", async () => {
    const upstream = await startMockServer({ port: 0, meetings: MEETINGS, journalLimit: 5000 });
    onTestFinished(() => upstream.close());
    const proxy = await startMockServer({ port: 0, proxy: upstream.url });
    onTestFinished(() => proxy.close());
    const clients = MEETINGS.map((m) => ({
      meeting: m,
      client: createMeetingControlClient({
        baseUrl: proxy.url,
        hostPassword: m.hostPassword,
        maxRetries: 0,
      }),
    }));
    const outcomes = new Map<string, number>();
    const one = async (i: number) => {
      const { meeting, client } = clients[i % clients.length] as (typeof clients)[number];
      const participantID = meeting.participants[i % 3]?.participantID ?? "nobody";
      const call = [
        () =>
          client.inviteCamera({
            conferenceID: meeting.conferenceID,
            participantID,
            action: i % 2 ? "enable" : "disable",
          }),
        () =>
          client.inviteScreenShare({
            conferenceID: meeting.conferenceID,
            participantID,
            action: i % 2 ? "invite" : "cancel",
          }),
        () => client.createConfToken({ conferenceID: meeting.conferenceID }),
      ][i % 3] as () => Promise<unknown>;
      const outcome = await call().then(
        () => "ok",
        (error: { status?: number; code?: string }) => `${error.status} ${error.code}`,
      );
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    };
    for (let i = 0; i < 1000; i += 10)
      await Promise.all(Array.from({ length: 10 }, (_, j) => one(i + j)));
    // Mixed: successes and several errors, each one the spec documents with its status (no 5xx
    // of the proxy's own, no network error).
    expect(outcomes.get("ok")).toBeGreaterThan(100);
    expect(outcomes.size).toBeGreaterThan(2);
    for (const outcome of outcomes.keys()) {
      if (outcome === "ok") continue;
      const [status, code = ""] = outcome.split(" ");
      expect(ERROR_CODES[code]?.statuses, outcome).toContain(Number(status));
    }
    const report = proxy.report();
    expect(report.violations).toEqual([]);
    expect(report.refused).toBe(0);
    expect(report.left).toBe(0);
    // Every request the client sent reached the upstream (concurrent token requests share one).
    expect(report.forwarded).toBe(upstream.requests().length);
    expect(report.forwarded).toBeGreaterThan(900);
  }, 300_000);
});
