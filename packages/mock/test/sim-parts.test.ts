// The simulator's journal, faults and clock as plain functions and one transport-free object.
import { describe, expect, it } from "vitest";
import { checkIds } from "../src/sim/api.js";
import {
  checkFault as checked,
  faultAnswer,
  type StatusFault,
  takeFault,
} from "../src/sim/faults.js";
import {
  type JournalEntry,
  journalHeaders,
  REDACTED,
  recorded,
  redactor,
} from "../src/sim/journal.js";
import { createSimulator } from "../src/sim/simulator.js";
import { MAX_TOKENS } from "../src/sim/tokens.js";
import { facts, MEETINGS } from "./sim-fixtures.js";

const entry = (n: number): JournalEntry => ({
  at: "",
  requestId: `r${n}`,
  operation: "InviteShare",
  method: "PUT",
  path: "/",
  query: {},
  headers: {},
  body: null,
  status: 200,
});

describe("journal", () => {
  it("redacts credential headers whole, and the request's token, its Basic form and host passwords anywhere", () => {
    const headers = {
      "x-conference-authorization": `Basic ${btoa("secret-token-1")}`,
      "x-password": "pw",
      prefer: "x secret-token-1",
    };
    const redact = redactor(headers, ["host-pass-123"], new Set(["issued-token-77"]));
    expect(journalHeaders(headers, redact)).toEqual({
      "x-conference-authorization": REDACTED,
      "x-password": REDACTED,
      prefer: `x ${REDACTED}`,
    });
    expect(
      redact({
        q: "a host-pass-123 b",
        list: ["pw", "issued-token-77", "issued-token-77 inside"],
        n: 1,
      }),
    ).toEqual({
      q: `a ${REDACTED} b`,
      list: [REDACTED, REDACTED, "issued-token-77 inside"],
      n: 1,
    });
    // A short secret is redacted as a whole value only, never inside other words.
    expect(redact("pwned")).toBe("pwned");
  });

  it("redacts an issued token inside any string, a 4-character password inside text, and each of a repeated header's values", () => {
    const issued = "0123456789abcdef0123456789abcdef01234567";
    const other = "fedcba9876543210fedcba9876543210fedcba98";
    // node:http joins a repeated header's values with ", ".
    const headers = { "x-conference-authorization": `${other}, second-token-xyz` };
    const redact = redactor(headers, ["pw12"], new Set([issued]));
    expect(
      redact({
        agent: `my-token=${issued}`,
        participantID: `x${issued}`,
        path: `/nope/a${issued}${issued}`,
        note: "my-pw-is-pw12",
        echoed: `first ${other} then second-token-xyz`,
        hex: "0123456789abcdef0123456789abcdef0123456", // 39 digits of it: not a token
      }),
    ).toEqual({
      agent: `my-token=${REDACTED}`,
      participantID: `x${REDACTED}`,
      path: `/nope/a${REDACTED}`,
      note: `my-pw-is-${REDACTED}`,
      echoed: `first ${REDACTED} then ${REDACTED}`,
      hex: "0123456789abcdef0123456789abcdef0123456",
    });
  });

  it("redacts an issued token that no header of the request carries: encoded in part, in capitals, in its Basic form", () => {
    const issued = "a36c7240b885a36c7240b885a36c7240b885a36c";
    const redact = redactor({}, [], new Set([issued]));
    const escaped = issued.replace(/[a-f]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);
    const basic = `Basic ${Buffer.from(issued).toString("base64")}`;
    expect(
      redact({
        path: `/v1/x/${escaped}`,
        header: escaped,
        upper: `T=${issued.toUpperCase()}!`,
        basic,
        both: `${issued}${issued.toUpperCase()} and ${escaped}`,
        other: `Basic ${Buffer.from("fedcba9876543210fedcba9876543210fedcba98").toString("base64")}`,
      }),
    ).toEqual({
      path: `/v1/x/${REDACTED}`,
      header: REDACTED,
      upper: `T=${REDACTED}!`,
      basic: `Basic ${REDACTED}`,
      both: `${REDACTED} and ${REDACTED}`,
      other: `Basic ${Buffer.from("fedcba9876543210fedcba9876543210fedcba98").toString("base64")}`,
    });
  });

  it("redacts a host password and the request's token inside a longer base64 text (a server's encoded copy), at any offset, in base64url too", () => {
    const headers = { "x-conference-authorization": "Tok/en+1-abc" };
    const redact = redactor(headers, ["Host Pass/2"], new Set());
    for (const secret of ["Tok/en+1-abc", "Host Pass/2"])
      for (const before of ["", "{", '{"'])
        for (const encoding of ["base64", "base64url"] as const) {
          const text = Buffer.from(`${before}${secret}"}`).toString(encoding);
          expect(redact({ body: `x ${text} y` }).body).toBe(`x ${REDACTED} y`);
        }
    // A password that runs into base64 holding a secret (a path's next segment): both go.
    const issued = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
    const joined = redactor({ "x-password": "p@ss w/rd" }, [], new Set([issued]));
    const after = Buffer.from(issued).toString("base64");
    expect(joined(`/m/p%40ss%20w%2Frd/${after}`)).toBe(`/m/${REDACTED}`);
    expect(joined(`/m/p@ss w/rd/${after}`)).toBe(`/m/${REDACTED}`);
    // Base64 that holds no secret is kept.
    const kept = Buffer.from('{"note":"Host Pass/3 Tok/en+1-abd"}').toString("base64");
    expect(redact(kept)).toBe(kept);
    // Whole, padded or not, it goes whole.
    const whole = Buffer.from("Host Pass/2").toString("base64");
    expect(redact([whole, whole.replace(/=+$/, "")])).toEqual([REDACTED, REDACTED]);
  });

  it("redacts a host password or token percent-encoded (a path keeps its escapes), escapes in either case", () => {
    const headers = { "x-password": "p@ss word!", "x-conference-authorization": "Tok/en+1" };
    const redact = redactor(headers, ["Host Pass/2"], new Set());
    expect(
      redact({
        path: `/v1/mmc/control/conferences/token/${encodeURIComponent("p@ss word!")}`,
        raw: "/a/p%40ss%20word!/b",
        token: `/x/${encodeURIComponent("Tok/en+1")}`,
        other: `q=${encodeURIComponent("Host Pass/2").toLowerCase()}`,
        kept: "/v1/mmc/control/conferences/token%2Fx",
      }),
    ).toEqual({
      path: `/v1/mmc/control/conferences/token/${REDACTED}`,
      raw: `/a/${REDACTED}/b`,
      token: `/x/${REDACTED}`,
      other: `q=${REDACTED}`,
      kept: "/v1/mmc/control/conferences/token%2Fx",
    });
    // A password too short to look for inside text, sent encoded as a whole value.
    const short = redactor({ "x-password": "pw" }, [], new Set());
    expect(short({ a: "%70%77", b: "P%57", c: "pw+", d: "%70wned" })).toEqual({
      a: REDACTED,
      b: REDACTED,
      c: "pw+",
      d: "%70wned",
    });
  });

  it("keeps no more than its limit, the oldest going first", () => {
    const journal: JournalEntry[] = [];
    for (let n = 0; n < 5; n++) recorded(journal, entry(n), 3);
    expect(journal.map((e) => e.requestId)).toEqual(["r2", "r3", "r4"]);
  });
});

describe("the meetings' IDs against the spec's query parameters", () => {
  // A spec whose participantID is stricter than today's (minLength 1 only): the check reads
  // whatever the parameter's schema says.
  const operations = [
    {
      request: {
        query: [
          { name: "conferenceID", schema: { minLength: 7, maxLength: 9 } },
          { name: "participantID", schema: { minLength: 2, maxLength: 4, pattern: "^[a-z]+$" } },
        ],
      },
    },
  ] as never;
  const meeting = (participantID: string) => [
    { conferenceID: "9140831", hostPassword: "p", participants: [{ participantID }] },
  ];

  it.each([
    ["a", 'must be 2 to 4 characters long, as the spec\'s participantID parameter; got "a" (1)'],
    [
      "abcde",
      'must be 2 to 4 characters long, as the spec\'s participantID parameter; got "abcde" (5)',
    ],
    ["ab1", 'must match the spec\'s participantID pattern ^[a-z]+$; got "ab1"'],
  ])("refuses the participantID %j, naming where it is", (participantID, why) => {
    expect(() => checkIds(meeting(participantID), operations)).toThrow(
      `meetings[0].participants[0].participantID ${why}`,
    );
  });

  it("takes IDs the schemas allow, a participantID's length counted in code points", () => {
    expect(() => checkIds(meeting("ab"), operations)).not.toThrow();
    expect(() => checkIds(meeting("abcd"), operations)).not.toThrow();
    const astral = [{ name: "participantID", schema: { maxLength: 2 } }];
    expect(() =>
      checkIds(meeting("😀😀"), [{ request: { query: astral } }] as never),
    ).not.toThrow();
  });
});

describe("faults", () => {
  const checkFault = (input: unknown) => checked(input, facts.bodyOptional);
  it("take the next N answers of their operation, in order, then none", () => {
    let faults = [
      checkFault({ operation: "InviteShare", status: 503, retryAfter: 1, count: 2 }),
      checkFault({ operation: "InviteShare", drop: true }),
    ];
    const taken: unknown[] = [];
    for (let i = 0; i < 4; i++) {
      const step = takeFault(faults, "InviteShare");
      faults = [...step.faults];
      taken.push(step.fault && ("status" in step.fault ? step.fault.status : "drop"));
    }
    expect(taken).toEqual([503, 503, "drop", undefined]);
    expect(
      takeFault([checkFault({ operation: "InviteShare", delayMs: 5 })], "CreateConfToken").fault,
    ).toBeUndefined();
  });

  it("answer with the spec's example of the status, else the mock's own MOCK.FAULT, or the body given", () => {
    const answer = (f: object) =>
      faultAnswer(facts, checkFault({ operation: "InviteOperateVideo", ...f }) as StatusFault) as {
        status: number;
        body?: unknown;
        text?: string;
      };
    expect(answer({ status: 500 }).body).toEqual({
      error_code: "MMC.000000002",
      error_msg: "Internal error",
    });
    expect(answer({ status: 503 })).toEqual({
      status: 503,
      body: { error_code: "MOCK.FAULT", error_msg: expect.stringContaining("503") },
    });
    expect(answer({ status: 429, body: { error_code: "X.1", error_msg: "busy" } }).body).toEqual({
      error_code: "X.1",
      error_msg: "busy",
    });
    expect(answer({ status: 502, body: "<h1>Bad gateway</h1>", contentType: "text/html" })).toEqual(
      { status: 502, text: "<h1>Bad gateway</h1>", contentType: "text/html" },
    );
    expect(answer({ status: 500, body: "" })).toEqual({
      status: 500,
      text: "",
      contentType: undefined,
    });
  });

  it("noBody: for the operations whose 200 the spec marks x-body-optional, the control ones", () => {
    expect([...facts.bodyOptional].sort()).toEqual(["InviteOperateVideo", "InviteShare"]);
    expect(checkFault({ operation: "InviteShare", noBody: true, count: 2 })).toEqual({
      operation: "InviteShare",
      noBody: true,
      count: 2,
    });
  });

  it.each([
    [{ status: 503 }, /operation must be one of InviteOperateVideo, InviteShare, CreateConfToken/],
    [{ operation: "InviteShare" }, /exactly one of status, delayMs, drop or noBody/],
    [{ operation: "InviteShare", noBody: true, delayMs: 1 }, /exactly one/],
    [{ operation: "InviteShare", noBody: 1 }, /noBody must be true/],
    [
      { operation: "CreateConfToken", noBody: true },
      /noBody is for InviteOperateVideo and InviteShare, .*; not CreateConfToken/,
    ],
    [
      { operation: "InviteShare", status: 502, contentType: "text/html" },
      /with a string body only/,
    ],
    [
      { operation: "InviteShare", status: 502, body: "x", contentType: "html" },
      /contentType must be a media type/,
    ],
    [{ operation: "InviteShare", status: 502, body: "x", contentType: 7 }, /contentType must be/],
    [
      { operation: "InviteShare", status: 502, body: "x", contentType: "text/html\r\n" },
      /contentType must be a media type/,
    ],
    [{ operation: "InviteShare", status: 503, drop: true }, /exactly one/],
    [{ operation: "InviteShare", status: 200 }, /status must be 400 to 599/],
    [{ operation: "InviteShare", status: 503, count: 0 }, /count must be a whole number/],
    [{ operation: "InviteShare", delayMs: -1 }, /delayMs must be/],
    [{ operation: "InviteShare", drop: "yes" }, /drop must be true/],
    [{ operation: "InviteShare", status: 503, retryAfter: "1\n2" }, /printable/],
    [{ operation: "InviteShare", status: 503, body: { error_code: 1 } }, /body must be/],
  ])("refuse a bad fault, saying why: %j", (input, message) => {
    expect(() => checkFault(input)).toThrow(message);
  });
});

describe("createSimulator", () => {
  const start = Date.UTC(2026, 11, 1);
  const simulator = () =>
    createSimulator(MEETINGS, facts, { wallClock: () => start, journalLimit: 10 });
  const tokenRequest = {
    operation: "CreateConfToken",
    query: { conferenceID: "986947855" },
    headers: { "x-password": "host-pass-123" },
    body: null,
    requestId: "r",
  } as const;

  it("shows a meeting without its password or any token's value; advanceTime moves the clock and expires tokens", () => {
    const sim = simulator();
    const token = (sim.answer(tokenRequest).body as { data: { token: string } }).data.token;
    const view = sim.meeting("986947855");
    expect(view?.tokens).toEqual([{ expiresAt: new Date(start + 30 * 60_000).toISOString() }]);
    expect(JSON.stringify(sim.meetings())).not.toMatch(new RegExp(`host-pass-123|${token}`));
    expect(sim.advanceTime(30 * 60_000)).toEqual(new Date(start + 30 * 60_000));
    expect(sim.meeting("986947855")?.tokens).toEqual([]);
    expect(sim.meeting("000000000")).toBeUndefined();
    expect(() => sim.advanceTime(-1)).toThrow(/0 or more/);
    // Past every Date: refused, and the clock and the meetings still answer.
    expect(() => sim.advanceTime(Number.MAX_SAFE_INTEGER)).toThrow(/before the year 100000/);
    expect(sim.advanceTime(0).toISOString()).toBe(new Date(start + 30 * 60_000).toISOString());
  });

  it("keeps every live token's tmpWsToken a secret, however many tokens came after it", () => {
    const sim = simulator();
    const first = (sim.answer(tokenRequest).body as { data: { token: string; tmpWsToken: string } })
      .data;
    // As many more as the state keeps live tokens, less the first: each comes with its tmpWsToken.
    for (let i = 1; i < MAX_TOKENS; i++) sim.answer(tokenRequest);
    expect(sim.meeting("986947855")?.tokens).toHaveLength(MAX_TOKENS);
    const { tokens } = sim.secrets();
    expect([tokens.has(first.token), tokens.has(first.tmpWsToken)]).toEqual([true, true]);
  });

  it("hands out copies: what a caller changes in a meeting it was shown is not the state's", () => {
    const sim = simulator();
    const token = (sim.answer(tokenRequest).body as { data: { token: string } }).data.token;
    sim.answer({
      operation: "InviteOperateVideo",
      query: { conferenceID: "986947855", participantID: "alice" },
      headers: { "x-conference-authorization": token },
      body: { status: 1 },
      requestId: "r1",
    });
    const shown = sim.meeting("986947855");
    const camera = shown?.participants.find((p) => p.participantID === "alice")?.camera;
    expect(camera?.requestId).toBe("r1");
    if (camera) camera.requestId = "tampered";
    for (const view of [sim.meeting("986947855"), sim.meetings()[0]])
      expect(view?.participants.find((p) => p.participantID === "alice")?.camera?.requestId).toBe(
        "r1",
      );
  });

  it("filters the journal by operation, and reset() forgets tokens, journal, faults and the clock", () => {
    const sim = simulator();
    sim.answer(tokenRequest);
    sim.record({ ...entry(1), operation: "CreateConfToken" });
    sim.record(entry(2));
    sim.fault({ operation: "InviteShare", drop: true });
    sim.advanceTime(1000);
    expect(sim.requests({ operation: "InviteShare" }).map((e) => e.requestId)).toEqual(["r2"]);
    expect(sim.requests()).toHaveLength(2);
    expect(() => sim.requests({ operation: "Nope" as never })).toThrow(/operation must be one of/);
    sim.reset();
    expect([sim.requests(), sim.faults(), sim.meeting("986947855")?.tokens, sim.now()]).toEqual([
      [],
      [],
      [],
      start,
    ]);
  });
});
