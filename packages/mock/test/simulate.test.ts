// Simulate mode's rules, each against the real server over HTTP.
import { request } from "node:http";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { scenarios, startMockServer } from "../src/index.js";
import { specDocument } from "../src/spec.js";
import { JSON_AUTH, VIDEO } from "./helpers.js";
import {
  codeOf,
  getToken,
  ID,
  invite,
  MINUTES,
  PASSWORD,
  tokenOf,
  useSimulator,
} from "./sim-http.js";

// The spec's facts, read from it: the token example's lifetime and the conference ID's lengths.
const TOKEN_ANSWER = scenarios().find(
  (s) => s.operationId === "CreateConfToken" && s.status === 200,
);
const LIFETIME_S = Number(
  (TOKEN_ANSWER?.body as { data?: { confTokenExpireTime?: number } } | undefined)?.data
    ?.confTokenExpireTime,
);
const { minLength: ID_MIN, maxLength: ID_MAX } =
  specDocument().components.parameters.ConferenceID.schema;

const sim = useSimulator();

describe("CreateConfToken in simulate mode", () => {
  it("issues a new random token for the right host password, expiring 30 minutes later on the mock's clock", async () => {
    const { mock } = sim;
    mock.advanceTime(3 * MINUTES); // the mock's clock, not the wall clock, sets the expiry
    const before = mock.advanceTime(0).getTime();
    const first = await getToken(mock.url);
    const after = mock.advanceTime(0).getTime();
    const second = await getToken(mock.url);
    expect(first.status).toBe(200);
    const data = first.body.data ?? { token: "", expireTime: 0, confTokenExpireTime: 0 };
    expect(data.confTokenExpireTime).toBe(LIFETIME_S);
    expect(data.expireTime).toBeGreaterThanOrEqual(before + LIFETIME_S * 1000);
    expect(data.expireTime).toBeLessThanOrEqual(after + LIFETIME_S * 1000);
    expect(data.token).not.toBe("7e4c72a1..."); // not the spec's example
    expect(second.body.data?.token).not.toBe(data.token);
  });

  it.each([
    ["a wrong host password", ID, "wrong-password"],
    ["an unknown meeting", "123123123", PASSWORD],
    ["a meeting that has not started", "777888999", "later-pass"],
  ])("answers 400 MMC.111072065 to %s", async (_, id, password) => {
    expect(codeOf(await getToken(sim.mock.url, id, password))).toEqual([400, "MMC.111072065"]);
  });

  it("answers 400 USG.000000003, and issues no token, to the right password with X-Login-Type 0x1", async () => {
    const answer = await getToken(sim.mock.url, ID, PASSWORD, { "X-Login-Type": "0x1" });
    expect(codeOf(answer)).toEqual([400, "USG.000000003"]);
    expect(answer.body.data).toBeUndefined();
  });

  it("extends a current token sent in X-Conference-Authorization: the same token lives 30 minutes from then", async () => {
    const { mock } = sim;
    const token = await tokenOf(mock.url);
    mock.advanceTime(25 * MINUTES);
    const now = mock.advanceTime(0).getTime();
    const extended = await getToken(mock.url, ID, "not-checked-when-extending", {
      "X-Conference-Authorization": `Basic ${btoa(token)}`,
    });
    expect(extended.status).toBe(200);
    expect(extended.body.data?.token).toBe(token);
    expect(extended.body.data?.expireTime).toBeGreaterThanOrEqual(now + 30 * MINUTES);
    mock.advanceTime(10 * MINUTES); // 35 minutes after issue, 10 after the extension
    expect((await invite(mock.url, "share", { value: 1, auth: token })).status).toBe(200);
  });
});

describe("the control operations in simulate mode", () => {
  it("accept the meeting's token raw or as Basic base64(token)", async () => {
    const token = await tokenOf(sim.mock.url);
    expect((await invite(sim.mock.url, "camera", { auth: token })).status).toBe(200);
    expect(
      (await invite(sim.mock.url, "share", { value: 1, auth: `Basic ${btoa(token)}` })).status,
    ).toBe(200);
  });

  it("answer 401 MMC.111070111 without a token, and 401 USG.000000004 to an unknown, expired or other meeting's token", async () => {
    const { mock } = sim;
    const token = await tokenOf(mock.url);
    const other = await tokenOf(mock.url, "444555666", "third-pass");
    expect(codeOf(await invite(mock.url, "camera"))).toEqual([401, "MMC.111070111"]);
    expect(codeOf(await invite(mock.url, "camera", { auth: "stbaf8fa2ea8-made-up" }))).toEqual([
      401,
      "USG.000000004",
    ]);
    expect(codeOf(await invite(mock.url, "camera", { auth: other }))).toEqual([
      401,
      "USG.000000004",
    ]);
    mock.advanceTime(31 * MINUTES);
    expect(codeOf(await invite(mock.url, "share", { value: 1, auth: token }))).toEqual([
      401,
      "USG.000000004",
    ]);
  });

  it("answer 400 MMC.111072050 in a locked meeting, 400 MMC.111072026 to a camera for an audio-only participant", async () => {
    const { mock } = sim;
    const locked = await tokenOf(mock.url, "111222333", "other-pass");
    expect(
      codeOf(
        await invite(mock.url, "share", {
          id: "111222333",
          participant: "bob",
          value: 1,
          auth: locked,
        }),
      ),
    ).toEqual([400, "MMC.111072050"]);
    const token = await tokenOf(mock.url);
    for (const value of [0, 1])
      expect(
        codeOf(await invite(mock.url, "camera", { participant: "phone", value, auth: token })),
      ).toEqual([400, "MMC.111072026"]);
    expect(
      (await invite(mock.url, "share", { participant: "phone", value: 1, auth: token })).status,
    ).toBe(200);
  });

  it("answer 403 MMC.111072117 to camera-on where the meeting forbids inviting to open video, and allow camera-off", async () => {
    const { mock } = sim;
    const token = await tokenOf(mock.url, "444555666", "third-pass");
    const ask = (value: number) =>
      invite(mock.url, "camera", { id: "444555666", participant: "carol", value, auth: token });
    expect(codeOf(await ask(0))).toEqual([403, "MMC.111072117"]);
    expect((await ask(1)).status).toBe(200);
  });

  it("answer 400 MMC.111070005 (the README's assumption) for a participant not in the meeting", async () => {
    const token = await tokenOf(sim.mock.url);
    expect(
      codeOf(await invite(sim.mock.url, "camera", { participant: "nobody", auth: token })),
    ).toEqual([400, "MMC.111070005"]);
  });

  it("keep each participant's last camera and share invitation: the action, when, and the answer's request id", async () => {
    const { mock } = sim;
    const token = await tokenOf(mock.url);
    const camera = await invite(mock.url, "camera", { value: 1, auth: token });
    await invite(mock.url, "share", { value: 1, auth: token });
    const cancel = await invite(mock.url, "share", { value: 0, auth: token });
    await invite(mock.url, "camera", { participant: "phone", auth: token }); // refused: no change
    const [alice, phone] = mock.meeting(ID)?.participants ?? [];
    expect(alice?.camera).toEqual({
      action: "disable",
      at: expect.any(String),
      requestId: camera.headers.get("x-request-id"),
    });
    expect(alice?.share).toMatchObject({
      action: "cancel",
      requestId: cancel.headers.get("x-request-id"),
    });
    expect(Date.parse(alice?.share?.at ?? "")).toBeLessThanOrEqual(mock.advanceTime(0).getTime());
    expect(phone).toMatchObject({ audioOnly: true, camera: null, share: null });
    mock.reset();
    expect(mock.meeting(ID)?.participants[0]?.camera).toBeNull();
  });

  it("simulate a path that Prism routes once decoded (%76ideo is video) like the plain one", async () => {
    const { mock } = sim;
    const token = await tokenOf(mock.url);
    const encoded = (auth: string) =>
      fetch(
        `${mock.url}/v1/mmc/control/conferences/participants/%76ideo?conferenceID=${ID}&participantID=alice`,
        {
          method: "PUT",
          headers: { "content-type": "application/json", "x-conference-authorization": auth },
          body: '{"status": 1}',
        },
      );
    const refused = await encoded("not-a-token-it-issued");
    expect([refused.status, (await refused.json()).error_code]).toEqual([401, "USG.000000004"]);
    const accepted = await encoded(token);
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({});
    expect(mock.meeting(ID)?.participants[0]?.camera).toMatchObject({
      action: "disable", // status 1: the camera's polarity is the opposite of sharing's
      requestId: accepted.headers.get("x-request-id"),
    });
    expect(mock.requests().at(-1)?.operation).toBe("InviteOperateVideo");
  });

  it("still let Prism validate first: a bad body gets 400 USG.000000003 and changes nothing; Prefer, __code and __server pick nothing", async () => {
    const { mock } = sim;
    const token = await tokenOf(mock.url);
    expect(codeOf(await invite(mock.url, "camera", { value: 2, auth: token }))).toEqual([
      400,
      "USG.000000003",
    ]);
    expect(mock.meeting(ID)?.participants[0]?.camera).toBeNull();
    const prefer = { Prefer: "code=400, example=confLocked" };
    expect((await invite(mock.url, "camera", { auth: token, extra: prefer })).status).toBe(200);
    // Prism's query forms: contract mode would answer 400, or 404 for a server the spec lacks.
    for (const query of ["__code=400", "__server=https://elsewhere.example"]) {
      const answer = await getToken(mock.url, `${ID}&${query}`);
      expect([query, answer.status, answer.body.data?.token]).toEqual([
        query,
        200,
        expect.any(String),
      ]);
    }
  });
});

describe("modes", () => {
  it("journal a token as [redacted] wherever a later request repeats it, once it has expired too", async () => {
    const { mock } = sim;
    const old = await tokenOf(mock.url);
    mock.advanceTime(31 * MINUTES);
    const fresh = await tokenOf(mock.url); // issuing drops the expired token from the state
    expect(codeOf(await invite(mock.url, "camera", { auth: old }))).toEqual([401, "USG.000000004"]);
    await invite(mock.url, "camera", { auth: fresh, extra: { "x-note": `was ${old}` } });
    // And as a name: of a query parameter, of a body's key, of a header.
    await fetch(`${mock.url}${VIDEO}&${old}=1`, {
      method: "PUT",
      headers: { ...JSON_AUTH, [`x-${old}`]: "1" },
      body: JSON.stringify({ status: 1, [old]: 1 }),
    }).then((r) => r.arrayBuffer());
    await vi.waitFor(() => expect(mock.requests()).toHaveLength(5), { timeout: 60_000 });
    expect(mock.requests().at(-2)?.headers["x-note"]).toBe("was [redacted]");
    expect(mock.requests().at(-1)).toMatchObject({
      query: { "[redacted]": "1" },
      headers: { "x-[redacted]": "1" },
      body: { status: 1, "[redacted]": 1 },
    });
    expect(JSON.stringify(mock.requests())).not.toContain(old);
  });

  it("journal what is answered before the body is read (Expect) like any other answer", async () => {
    // An over-limit body refused before it is sent (100-continue), and an Expect it cannot meet.
    const cases = [
      { expect: "100-continue", length: 1024 * 1024, status: 413 },
      { expect: "x-unknown", length: 13, status: 417 },
    ];
    for (const { expect: expectation, length, status } of cases) {
      const got = await new Promise<number>((resolve, reject) => {
        const req = request(sim.mock.url + VIDEO, {
          method: "PUT",
          agent: false,
          headers: { ...JSON_AUTH, expect: expectation, "content-length": String(length) },
        });
        req.on("response", (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        });
        req.on("error", reject);
        req.flushHeaders();
      });
      expect(got).toBe(status);
    }
    // An entry is recorded once its answer's connection closes (a limit for a hang, not a speed).
    await vi.waitFor(() => expect(sim.mock.requests()).toHaveLength(2), { timeout: 60_000 });
    expect(sim.mock.requests()).toMatchObject(
      cases.map(({ expect: expectation, status }) => ({
        operation: "InviteOperateVideo",
        method: "PUT",
        status,
        headers: { "x-conference-authorization": "[redacted]", expect: expectation },
        body: null,
      })),
    );
  });

  it("contract mode has no simulator: any token works, the typed API is absent, the admin prefix is a 404", async () => {
    const contract = await startMockServer({ port: 0 });
    try {
      expect("meeting" in contract).toBe(false);
      expect(
        (await invite(contract.url, "camera", { participant: "nobody", auth: "anything" })).status,
      ).toBe(200);
      expect(codeOf(await getToken(contract.url, ID, "any"))).toEqual([200, undefined]);
      expect(
        codeOf(
          await fetch(`${contract.url}/__mock/meetings`).then(async (r) => ({
            status: r.status,
            body: await r.json(),
            headers: r.headers,
          })),
        ),
      ).toEqual([404, "MOCK.NOT_FOUND"]);
    } finally {
      await contract.close();
    }
  });

  it("answer an Accept that takes no JSON alike: 406 in both modes, and the simulator changes nothing", async () => {
    const { mock } = sim;
    const contract = await startMockServer({ port: 0 });
    try {
      const token = await tokenOf(mock.url);
      const requests = mock.requests().length;
      for (const accept of ["text/plain", "application/xml, text/html", "text/*"]) {
        const extra = { Accept: accept };
        for (const url of [contract.url, mock.url]) {
          const camera = await invite(url, "camera", { auth: token, extra });
          expect([url, accept, ...codeOf(camera)]).toEqual([
            url,
            accept,
            406,
            "MOCK.PRISM_NOT_ACCEPTABLE",
          ]);
          const issued = await getToken(url, ID, PASSWORD, extra);
          expect([url, accept, ...codeOf(issued)]).toEqual([
            url,
            accept,
            406,
            "MOCK.PRISM_NOT_ACCEPTABLE",
          ]);
        }
      }
      // Nothing was applied, and each refusal is journaled with its 406.
      expect(mock.meeting(ID)?.participants[0]?.camera).toBeNull();
      const journaled = mock.requests().slice(requests);
      expect(journaled.map((entry) => entry.status)).toEqual(Array(6).fill(406));
      // Ranges that take JSON still get the simulator's answers, in both modes.
      for (const accept of ["*/*", "application/json;q=0.5", "text/plain, application/*"])
        for (const url of [contract.url, mock.url])
          expect([
            url,
            accept,
            (await invite(url, "camera", { auth: token, extra: { Accept: accept } })).status,
          ]).toEqual([url, accept, 200]);
      expect(mock.meeting(ID)?.participants[0]?.camera?.action).toBe("enable");
    } finally {
      await contract.close();
    }
  });

  it("refuses bad meetings at start, naming the field", async () => {
    await expect(
      startMockServer({ port: 0, meetings: [{ conferenceID: ID, participants: [] } as never] }),
    ).rejects.toThrow(
      /meeting-control-mock: meetings\[0\]\.hostPassword must be a non-empty string/,
    );
  });

  it.each(["1".repeat(ID_MIN - 1), "1".repeat(ID_MAX + 1)])(
    "refuses at start a meeting whose conferenceID (%s) no request could name: the spec's lengths",
    async (conferenceID) => {
      const meetings = [{ conferenceID, hostPassword: "p", participants: [] }];
      await expect(startMockServer({ port: 0, meetings })).rejects.toThrow(
        `meeting-control-mock: meetings[0].conferenceID must be ${ID_MIN} to ${ID_MAX} characters long, as the spec's conferenceID parameter; got "${conferenceID}"`,
      );
    },
  );

  it("journals a path whose escaped / Prism does not route (conferences%2Ftoken) as no operation, with its 404", async () => {
    const { mock } = sim;
    for (const path of [
      `/v1/mmc/control/conferences%2Ftoken?conferenceID=${ID}`,
      `/v1%2Fmmc%2Fcontrol%2Fconferences%2Fparticipants%2Fvideo?conferenceID=${ID}&participantID=alice`,
    ]) {
      const response = await fetch(mock.url + path, {
        method: path.includes("video") ? "PUT" : "GET",
        headers: { ...JSON_AUTH, "x-password": PASSWORD, "x-login-type": "1" },
        ...(path.includes("video") && { body: '{"status": 1}' }),
      });
      expect(response.status).toBe(404);
      expect(mock.requests().at(-1)).toMatchObject({ operation: null, status: 404 });
    }
    expect(mock.requests({ operation: "CreateConfToken" })).toEqual([]);
    expect(mock.requests({ operation: "InviteOperateVideo" })).toEqual([]);
  });

  it("shows no token or host password it knows in an answer, sl-violations or the log: a body key, a path", async () => {
    const lines: string[] = [];
    const mock = await startMockServer({
      port: 0,
      meetings: [
        { conferenceID: ID, hostPassword: PASSWORD, participants: [{ participantID: "alice" }] },
      ],
      verbose: (line) => lines.push(line),
    });
    onTestFinished(() => mock.close());
    const token = await tokenOf(mock.url);
    const keyed = await fetch(mock.url + VIDEO, {
      method: "PUT",
      headers: { ...JSON_AUTH, "x-conference-authorization": token },
      body: JSON.stringify({ status: 1, [token]: 1, [PASSWORD]: 2 }),
    });
    expect(keyed.status).toBe(400);
    const violations = keyed.headers.get("sl-violations") ?? "";
    expect(violations).toContain("found '[redacted]'");
    // Another request's secrets too: a token and a password the mock knows, in the path.
    const shown = [violations];
    for (const secret of [token, PASSWORD]) {
      const misplaced = await fetch(`${mock.url}/v1/mmc/control/conferences/${secret}`);
      expect(misplaced.status).toBe(404);
      const { error_msg } = await misplaced.json();
      expect(error_msg).toBe("The spec has no operation at /v1/mmc/control/conferences/[redacted]");
      shown.push(error_msg);
    }
    await vi.waitUntil(() => lines.filter((line) => line.includes("→ 404")).length === 2);
    shown.push(...lines);
    for (const secret of [token, PASSWORD]) expect(shown.join("\n")).not.toContain(secret);
  });
});
