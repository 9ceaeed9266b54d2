import { createMeetingControlClient, InvalidInputError } from "@meeting-control/client";
import { POLARITY } from "@meeting-control/client/facts";
import fc from "fast-check";
import { describe, expect, inject, it } from "vitest";

// Whatever the client rejects locally, the mock rejects when sent raw; whatever the client sends,
// the mock accepts. If the spec and the client's checks drift apart, these properties find it.
const RUNS = 250;

// The package's one mock (test/global-setup.ts).
const mock = { url: inject("mockUrl") };

// Well-formed strings only: a lone surrogate cannot travel in a URL at all (the client rejects it,
// and a URL would replace it with U+FFFD), so it has no raw counterpart to compare.
const text = (maxLength: number) =>
  fc.oneof(
    fc.string({ maxLength, unit: "grapheme" }),
    fc.string({ maxLength, unit: "binary" }).filter((s) => !/\p{Cs}/u.test(s)),
    fc.stringMatching(/^\d{6,10}$/),
  );
const id = (maxLength: number) => fc.option(text(maxLength), { nil: undefined });

// Each action's body value, from the spec's polarity (its x-enum-varnames), not copied here.
const { InviteOperateVideo: video, InviteShare: share } = POLARITY;
const OPERATIONS = {
  camera: {
    path: "/v1/mmc/control/conferences/participants/video",
    field: video.field,
    wire: { enable: video.enable, disable: video.disable },
  },
  share: {
    path: "/v1/mmc/control/conferences/participants/share/invite",
    field: share.field,
    wire: { invite: share.invite, cancel: share.cancel },
  },
} as const;

// Invalid actions travel raw as the body value itself; 0 and 1 are left out, since as raw body
// values they are valid (the client's rejection of them is a unit test of its own).
const anyAction = (valid: string[]) =>
  fc.oneof(
    fc.constantFrom(...valid),
    fc.constantFrom<unknown>(
      "on",
      "off",
      "ENABLE",
      "",
      2,
      -1,
      1.5,
      null,
      undefined,
      true,
      "1",
      [0],
      {},
    ),
  );

async function sendRaw(
  path: string,
  field: string,
  conferenceID: unknown,
  participantID: unknown,
  value: unknown,
) {
  const query = new URLSearchParams();
  if (conferenceID !== undefined) query.set("conferenceID", String(conferenceID));
  if (participantID !== undefined) query.set("participantID", String(participantID));
  const body = value === undefined ? "{}" : JSON.stringify({ [field]: value });
  const response = await fetch(`${mock.url}${path}?${query}`, {
    method: "PUT",
    headers: { "content-type": "application/json", "x-conference-authorization": "Basic Y25yYjQy" },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

describe.each(Object.entries(OPERATIONS))(
  "%s: the client's checks agree with the mock's",
  (name, op) => {
    // 250 runs of one or two requests each through Prism: minutes, not seconds, on a loaded machine.
    it(`over ${RUNS} generated inputs, valid and invalid`, { timeout: 300_000 }, async () => {
      const actions = Object.keys(op.wire);
      const client = createMeetingControlClient({
        token: "Basic Y25yYjQy",
        baseUrl: mock.url,
        maxRetries: 0,
        timeoutMs: 120_000, // a loaded machine is slow, not wrong: the test timeout stops a hang
      });
      const call = (name === "camera" ? client.inviteCamera : client.inviteScreenShare) as (
        r: unknown,
      ) => Promise<unknown>;
      let sent = 0;
      let rejected = 0;

      await fc.assert(
        fc.asyncProperty(
          id(12),
          id(40),
          anyAction(actions),
          async (conferenceID, participantID, action) => {
            const outcome = await call({ conferenceID, participantID, action }).then(
              () => "sent" as const,
              (error: unknown) => {
                if (error instanceof InvalidInputError) return "rejected" as const;
                throw error; // the mock refused what the client sent, or something crashed
              },
            );
            if (outcome === "sent") {
              sent++;
              return;
            }
            rejected++;
            const wire = actions.includes(action as string)
              ? op.wire[action as keyof typeof op.wire]
              : action;
            const status = await sendRaw(op.path, op.field, conferenceID, participantID, wire);
            expect(
              status,
              JSON.stringify({ conferenceID, participantID, action }),
            ).toBeGreaterThanOrEqual(400);
            expect(status).toBeLessThan(500);
          },
        ),
        { numRuns: RUNS },
      );
      // Both sides of the property were exercised.
      expect(sent).toBeGreaterThan(10);
      expect(rejected).toBeGreaterThan(10);
    });
  },
);
