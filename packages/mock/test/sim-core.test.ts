// The simulator's core as plain functions: a validated request, the state and the clock in, the
// answer and the new state out. The codes asserted here are the table; the core reads
// them from the spec.
import { describe, expect, it } from "vitest";
import { decide, initialState, type SimRequest, type State } from "../src/sim/core.js";
import { checkMeetings } from "../src/sim/meetings.js";
import { credentialOf, MAX_TOKENS, type Token, withToken } from "../src/sim/tokens.js";
import { facts, MEETINGS } from "./sim-fixtures.js";

const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);
const MIN = 60_000;

const token = (conferenceID: string, password: string, headers = {}) =>
  ({
    operation: "CreateConfToken",
    query: { conferenceID },
    headers: { "x-password": password, "x-login-type": "1", ...headers },
    body: null,
    requestId: "r-token",
  }) satisfies SimRequest;
const control = (
  operation: "InviteOperateVideo" | "InviteShare",
  conferenceID: string,
  participantID: string,
  value: 0 | 1,
  authorization?: string,
): SimRequest => ({
  operation,
  query: { conferenceID, participantID },
  headers: authorization === undefined ? {} : { "x-conference-authorization": authorization },
  body: operation === "InviteShare" ? { share: value } : { status: value },
  requestId: `r-${operation}-${value}`,
});

/** A state with a token for `conferenceID`, issued at T0, and that token. */
function withTokenFor(conferenceID = "986947855", password = "host-pass-123") {
  const step = decide(facts, initialState(MEETINGS), token(conferenceID, password), {
    now: T0,
    newToken: () => `tok-${conferenceID}-0001`,
  });
  expect(step.answer.status).toBe(200);
  return { state: step.state, value: (step.answer.body as { data: { token: string } }).data.token };
}
const codeOf = (answer: { status: number; body: unknown }) => [
  answer.status,
  (answer.body as { error_code?: string }).error_code,
];

describe("CreateConfToken", () => {
  it("issues a new token for the right host password, valid 30 minutes on the mock's clock", () => {
    const a = decide(facts, initialState(MEETINGS), token("986947855", "host-pass-123"), {
      now: T0,
    });
    const b = decide(facts, a.state, token("986947855", "host-pass-123"), { now: T0 + MIN });
    const data = (a.answer.body as { data: Record<string, unknown> }).data;
    expect(a.answer.status).toBe(200);
    expect(data).toMatchObject({
      expireTime: T0 + 30 * MIN,
      confTokenExpireTime: 1800,
      vmrCurrentConfID: "986947855",
      role: 1,
    });
    expect(data.token).toMatch(/^[0-9a-f]{40}$/);
    expect((b.answer.body as { data: { token: string } }).data.token).not.toBe(data.token);
    expect(b.state.tokens.size).toBe(2);
  });

  it.each([
    ["a wrong host password", "986947855", "wrong"],
    ["an unknown meeting", "123123123", "host-pass-123"],
    ["a meeting not started", "777888999", "later-pass"],
  ])("answers 400 MMC.111072065 to %s, and issues nothing", (_, id, password) => {
    const step = decide(facts, initialState(MEETINGS), token(id, password), { now: T0 });
    expect(codeOf(step.answer)).toEqual([400, "MMC.111072065"]);
    expect(step.state.tokens.size).toBe(0);
  });

  it("extends a live token sent in X-Conference-Authorization (password unchecked): same token, 30 minutes from now", () => {
    const { state, value } = withTokenFor();
    const later = T0 + 20 * MIN;
    const step = decide(
      facts,
      state,
      token("986947855", "not-checked", { "x-conference-authorization": `Basic ${btoa(value)}` }),
      { now: later },
    );
    expect(step.answer.status).toBe(200);
    expect((step.answer.body as { data: object }).data).toMatchObject({
      token: value,
      expireTime: later + 30 * MIN,
    });
    expect(step.state.tokens.get(value)?.expiresAt).toBe(later + 30 * MIN);
  });

  it("does not extend an expired token: the password is checked", () => {
    const { state, value } = withTokenFor();
    const step = decide(
      facts,
      state,
      token("986947855", "wrong", { "x-conference-authorization": value }),
      { now: T0 + 31 * MIN },
    );
    expect(codeOf(step.answer)).toEqual([400, "MMC.111072065"]);
  });
});

describe("control operations", () => {
  it("accept the meeting's token raw or as Basic base64(token), and keep each participant's last invitation", () => {
    const { state, value } = withTokenFor();
    const a = decide(facts, state, control("InviteOperateVideo", "986947855", "alice", 0, value), {
      now: T0 + MIN,
    });
    const b = decide(
      facts,
      a.state,
      control("InviteShare", "986947855", "alice", 1, `Basic ${btoa(value)}`),
      { now: T0 + 2 * MIN },
    );
    expect([a.answer.status, b.answer.status]).toEqual([200, 200]);
    const alice = b.state.meetings.get("986947855")?.participants.get("alice");
    expect(alice?.camera).toEqual({
      action: "enable",
      at: new Date(T0 + MIN).toISOString(),
      requestId: "r-InviteOperateVideo-0",
    });
    expect(alice?.share).toEqual({
      action: "invite",
      at: new Date(T0 + 2 * MIN).toISOString(),
      requestId: "r-InviteShare-1",
    });
    const c = decide(facts, b.state, control("InviteShare", "986947855", "alice", 0, value), {
      now: T0 + 3 * MIN,
    });
    expect(c.state.meetings.get("986947855")?.participants.get("alice")?.share?.action).toBe(
      "cancel",
    );
    // The state before a step is left as it was.
    expect(state.meetings.get("986947855")?.participants.get("alice")?.camera).toBeNull();
  });

  it.each<
    [string, (s: { state: State; value: string }) => [State, SimRequest, number], number, string]
  >([
    [
      "no token",
      ({ state }) => [state, control("InviteShare", "986947855", "alice", 1), T0],
      401,
      "MMC.111070111",
    ],
    [
      "an unknown token",
      ({ state }) => [state, control("InviteShare", "986947855", "alice", 1, "forged"), T0],
      401,
      "USG.000000004",
    ],
    [
      "an expired token",
      ({ state, value }) => [
        state,
        control("InviteShare", "986947855", "alice", 1, value),
        T0 + 30 * MIN,
      ],
      401,
      "USG.000000004",
    ],
    [
      "another meeting's token",
      ({ state }) => {
        const other = decide(facts, state, token("444555666", "third-pass"), {
          now: T0,
          newToken: () => "tok-other",
        });
        return [other.state, control("InviteShare", "986947855", "alice", 1, "tok-other"), T0];
      },
      401,
      "USG.000000004",
    ],
    [
      "an unknown meeting",
      ({ state, value }) => [state, control("InviteShare", "123123123", "alice", 1, value), T0],
      400,
      "MMC.111072065",
    ],
    [
      "a participant not in the meeting",
      ({ state, value }) => [state, control("InviteShare", "986947855", "zed", 1, value), T0],
      400,
      "MMC.111070005",
    ],
    [
      "an audio-only participant asked to turn the camera on",
      ({ state, value }) => [
        state,
        control("InviteOperateVideo", "986947855", "phone", 0, value),
        T0,
      ],
      400,
      "MMC.111072026",
    ],
    [
      "an audio-only participant asked to turn the camera off",
      ({ state, value }) => [
        state,
        control("InviteOperateVideo", "986947855", "phone", 1, value),
        T0,
      ],
      400,
      "MMC.111072026",
    ],
  ])("refuse %s", (_, setup, status, code) => {
    const [state, request, now] = setup(withTokenFor());
    const step = decide(facts, state, request, { now });
    expect(codeOf(step.answer)).toEqual([status, code]);
    expect(step.state).toBe(state);
  });

  it("refuse every invitation in a locked meeting with 400 MMC.111072050; invite an audio-only participant to share", () => {
    const locked = withTokenFor("111222333", "other-pass");
    const share = decide(
      facts,
      locked.state,
      control("InviteShare", "111222333", "bob", 1, locked.value),
      { now: T0 },
    );
    expect(codeOf(share.answer)).toEqual([400, "MMC.111072050"]);
    const open = withTokenFor();
    const phone = decide(
      facts,
      open.state,
      control("InviteShare", "986947855", "phone", 1, open.value),
      { now: T0 },
    );
    expect(phone.answer.status).toBe(200);
  });

  it("in a meeting that forbids inviting to open video, refuse camera on with 403 MMC.111072117, allow camera off", () => {
    const { state, value } = withTokenFor("444555666", "third-pass");
    const on = decide(facts, state, control("InviteOperateVideo", "444555666", "carol", 0, value), {
      now: T0,
    });
    const off = decide(
      facts,
      state,
      control("InviteOperateVideo", "444555666", "carol", 1, value),
      { now: T0 },
    );
    expect(codeOf(on.answer)).toEqual([403, "MMC.111072117"]);
    expect(off.answer.status).toBe(200);
    expect(off.state.meetings.get("444555666")?.participants.get("carol")?.camera?.action).toBe(
      "disable",
    );
  });
});

describe("tokens", () => {
  it("read X-Conference-Authorization raw or as Basic base64 (any case); empty is no token", () => {
    expect(credentialOf("abc123")).toBe("abc123");
    expect(credentialOf(`Basic ${btoa("abc123")}`)).toBe("abc123");
    expect(credentialOf(`basic ${btoa("abc123")}`)).toBe("abc123");
    expect(credentialOf("Basic %%%")).toBe("Basic %%%");
    expect(credentialOf("  ")).toBeUndefined();
    expect(credentialOf(undefined)).toBeUndefined();
  });

  it("are bounded: expired ones go at each issue, and past MAX_TOKENS the oldest", () => {
    const tokens = new Map<string, Token>([["old", { conferenceID: "1", expiresAt: T0 - 1 }]]);
    for (let i = 0; i < MAX_TOKENS; i++)
      tokens.set(`t${i}`, { conferenceID: "1", expiresAt: T0 + MIN });
    const next = withToken(tokens, "new", { conferenceID: "1", expiresAt: T0 + 30 * MIN }, T0);
    expect(next.size).toBe(MAX_TOKENS);
    expect([next.has("old"), next.has("t0"), next.has("t1"), next.has("new")]).toEqual([
      false,
      false,
      true,
      true,
    ]);
  });
});

describe("meetings", () => {
  it("take the documented defaults: started, unlocked, invitations allowed, not audio-only", () => {
    const [m] = initialState(
      checkMeetings([
        { conferenceID: "1234567", hostPassword: "x", participants: [{ participantID: "p" }] },
      ]),
    ).meetings.values();
    expect(m).toMatchObject({ started: true, locked: false, allowInviteOpenVideo: true });
    expect(m?.participants.get("p")).toEqual({
      participantID: "p",
      audioOnly: false,
      camera: null,
      share: null,
    });
  });

  it.each([
    [[], /non-empty array/],
    [
      [{ conferenceID: "", hostPassword: "x", participants: [] }],
      /meetings\[0\]\.conferenceID must be a non-empty string/,
    ],
    [[{ conferenceID: "1", participants: [] }], /meetings\[0\]\.hostPassword/],
    [
      [{ conferenceID: "1", hostPassword: "x", locked: "yes", participants: [] }],
      /meetings\[0\]\.locked must be true or false/,
    ],
    [
      [
        {
          conferenceID: "1",
          hostPassword: "x",
          participants: [{ participantID: "a" }, { participantID: "a" }],
        },
      ],
      /participants\[1\]\.participantID a is given twice/,
    ],
    [
      [
        { conferenceID: "1", hostPassword: "x", participants: [] },
        { conferenceID: "1", hostPassword: "y", participants: [] },
      ],
      /meetings\[1\]\.conferenceID 1 is given twice/,
    ],
    // A misspelt field would leave the meeting unlocked, or the participant with a camera, unseen.
    [
      [{ conferenceID: "1", hostPassword: "x", lockd: true, participants: [] }],
      /meetings\[0\] has an unknown field "lockd"; it takes conferenceID, hostPassword, started, locked, allowInviteOpenVideo, participants/,
    ],
    [
      [
        {
          conferenceID: "1",
          hostPassword: "x",
          participants: [{ participantID: "a", audioonly: true }],
        },
      ],
      /participants\[0\] has an unknown field "audioonly"; it takes participantID, audioOnly/,
    ],
    // A password no X-Password header can carry: it would refuse every CreateConfToken.
    ...[" pad", "pad ", "\tpad", "пароль", "line\nbreak"].map((hostPassword): [unknown, RegExp] => [
      [{ conferenceID: "1", hostPassword, participants: [] }],
      /^meetings\[0\]\.hostPassword cannot be sent in an X-Password header: it must be Latin-1 characters \(no control character but a tab\), with no space or tab at either end$/,
    ]),
  ])("refuse bad input, naming the field: %j", (input, message) => {
    expect(() => checkMeetings(input)).toThrow(message);
  });

  it("take a password any X-Password header can carry: inner spaces and tabs, Latin-1 letters", () => {
    for (const hostPassword of ["a b", "a\tb", "pässwörd", "~!@#$%^&*()"])
      expect(checkMeetings([{ conferenceID: "1", hostPassword, participants: [] }])).toHaveLength(
        1,
      );
  });
});
