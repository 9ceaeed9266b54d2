// Simulate mode's journal, faults and admin routes over HTTP: through the typed API, fetch, curl
// and the command's --meetings.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it, onTestFinished } from "vitest";
import { ADMIN_PREFIX, specPath, startMockServer } from "../src/index.js";
import { adminHostAllowed, adminHostsOf } from "../src/sim/admin.js";
import { specDocument } from "../src/spec.js";
import { atHost, expectOwnShape, raw, startBin } from "./helpers.js";
import {
  codeOf,
  getToken,
  ID,
  invite,
  MEETINGS,
  MINUTES,
  PASSWORD,
  tokenOf,
  useSimulator,
} from "./sim-http.js";

const execFileAsync = promisify(execFile);
// A child that should have exited but did not is killed, not left behind.
const run = (file: string, args: string[]) => execFileAsync(file, args, { timeout: 60_000 });
const hasCurl = await run("curl", ["--version"]).then(
  () => true,
  () => false,
);
const inCI = Boolean(process.env.CI) && process.env.CI !== "false";
if (!hasCurl && !inCI)
  console.warn(
    "\n[simulate] SKIPPED reading the journal and state with curl: curl is not installed.\n",
  );

const sim = useSimulator({ journalLimit: 20 });
const admin = (path: string, init?: RequestInit) =>
  fetch(`${sim.mock.adminUrl}${path}`, init).then(async (r) => ({
    status: r.status,
    headers: Object.fromEntries(r.headers),
    text: await r.text(),
  }));
const post = (path: string, body: unknown) =>
  admin(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe("the journal", () => {
  it("records every request: operation, query, body, status, request id; never a credential", async () => {
    const { mock } = sim;
    const token = await tokenOf(mock.url);
    const ok = await invite(mock.url, "share", {
      value: 1,
      auth: `Basic ${btoa(token)}`,
      extra: { "x-trace": `t ${token}` },
    });
    await invite(mock.url, "camera", { participant: "phone", auth: token });
    await fetch(`${mock.url}/v1/nowhere?conferenceID=${ID}`);
    const all = mock.requests();
    expect(all.map((e) => [e.operation, e.status])).toEqual([
      ["CreateConfToken", 200],
      ["InviteShare", 200],
      ["InviteOperateVideo", 400],
      [null, 404],
    ]);
    expect(mock.requests({ operation: "InviteShare" })).toEqual([
      expect.objectContaining({
        method: "PUT",
        path: "/v1/mmc/control/conferences/participants/share/invite",
        query: { conferenceID: ID, participantID: "alice" },
        body: { share: 1 },
        requestId: ok.headers.get("x-request-id"),
        headers: expect.objectContaining({
          "x-conference-authorization": "[redacted]",
          "x-trace": "t [redacted]",
        }),
      }),
    ]);
    const text = JSON.stringify(all);
    for (const secret of [token, btoa(token), PASSWORD]) expect(text).not.toContain(secret);
  });

  it("keeps the start of a body over 2 KB, redacted, not the body parsed (which can take 20 times its size)", async () => {
    const { mock } = sim;
    const token = await tokenOf(mock.url);
    const url = `${mock.url}/v1/mmc/control/conferences/participants/video?conferenceID=${ID}&participantID=alice`;
    const put = (body: string) =>
      fetch(url, {
        method: "PUT",
        headers: { "content-type": "application/json", "x-conference-authorization": token },
        body,
      }).then((r) => r.status);
    // 32 KB of tiny arrays; then a body with the token across the point where the journal's copy ends.
    const arrays = `[${"[],".repeat(10_900)}[]]`;
    const across = JSON.stringify({ status: 1, pad: "x".repeat(2030), again: token });
    expect(await put(arrays)).toBe(400);
    expect(await put(across)).toBe(400);
    const [first, second] = mock.requests({ operation: "InviteOperateVideo" }).map((e) => e.body);
    expect(typeof first).toBe("string");
    expect(String(first).startsWith("[[],[],")).toBe(true);
    expect(String(first).length).toBeLessThan(2048 + 120);
    expect(String(first)).toContain(`(${arrays.length} bytes in all;`);
    expect(String(second)).not.toContain(token.slice(0, 6));
    expect(String(second).length).toBeLessThan(2048 + 120);
    // A body under the limit is still the body, parsed.
    await invite(mock.url, "camera", { value: 1, auth: token });
    expect(mock.requests({ operation: "InviteOperateVideo" })[2]?.body).toEqual({ status: 1 });
  });

  it("leaves out a request still in flight at a reset: the new journal starts empty", async () => {
    const { mock } = sim;
    const token = await tokenOf(mock.url);
    mock.fault({ operation: "InviteShare", delayMs: 1500 });
    const late = invite(mock.url, "share", { value: 1, auth: token });
    // The fault is taken once the request has arrived; it then waits out its delay.
    while (mock.faults().length) await new Promise((r) => setTimeout(r, 10));
    mock.reset();
    await late;
    expect(mock.requests()).toEqual([]);
    expect((await invite(mock.url, "share", { value: 1 })).status).toBe(401);
    expect(mock.requests().map((e) => e.status)).toEqual([401]);
  });

  it("answers 409 MOCK.RESET to a request a delay fault held across a reset, and changes nothing in the new state", async () => {
    const { mock } = sim;
    mock.fault({ operation: "CreateConfToken", delayMs: 1500 });
    const late = getToken(mock.url);
    while (mock.faults().length) await new Promise((r) => setTimeout(r, 10));
    mock.reset();
    expect(codeOf(await late)).toEqual([409, "MOCK.RESET"]);
    expect((await late).body.data).toBeUndefined();
    expect(mock.meeting(ID)?.tokens).toEqual([]);
    expect(mock.requests()).toEqual([]);
    // The same held invitation, with a token the new state has, is not applied either.
    const token = await tokenOf(mock.url);
    mock.fault({ operation: "InviteOperateVideo", delayMs: 1500 });
    const held = invite(mock.url, "camera", { value: 1, auth: token });
    while (mock.faults().length) await new Promise((r) => setTimeout(r, 10));
    mock.reset();
    expect(codeOf(await held)).toEqual([409, "MOCK.RESET"]);
    expect(mock.meeting(ID)?.participants.every((p) => p.camera === null)).toBe(true);
  });

  it("records a CONNECT, its 405 and its target, with its credentials redacted", async () => {
    const { mock } = sim;
    const token = await tokenOf(mock.url);
    const answer = await raw(
      mock.url,
      `CONNECT ${token}.example:443 HTTP/1.1\r\nHost: x.example:443\r\nX-Conference-Authorization: ${token}\r\n\r\n`,
    );
    if (answer === "closed") throw new Error("closed without an answer");
    expect(answer.status).toBe(405);
    const [, entry] = mock.requests();
    expect(entry).toMatchObject({
      requestId: answer.headers["x-request-id"],
      operation: null,
      method: "CONNECT",
      path: "[redacted].example:443",
      query: {},
      body: null,
      status: 405,
    });
    expect(entry?.headers["x-conference-authorization"]).toBe("[redacted]");
    expect(JSON.stringify(mock.requests())).not.toContain(token);
  });

  it("answers 409 MOCK.RESET to a request whose body was still coming at a reset, and changes nothing", async () => {
    const { mock } = sim;
    const { hostname, port } = new URL(mock.url);
    const socket = connect(Number(port), hostname);
    onTestFinished(() => {
      socket.destroy();
    });
    let text = "";
    socket.setEncoding("latin1").on("data", (chunk) => {
      text += chunk;
    });
    // Its headers, then (once the mock has them: its 100 Continue) a reset, then its empty body.
    socket.write(
      `GET /v1/mmc/control/conferences/token?conferenceID=${ID} HTTP/1.1\r\nHost: x\r\nX-Password: ${PASSWORD}\r\nX-Login-Type: 1\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`,
    );
    await expect.poll(() => text, { timeout: 30_000 }).toMatch(/^HTTP\/1\.1 100 /);
    mock.reset();
    socket.end("0\r\n\r\n");
    await new Promise((resolve) => socket.once("close", resolve));
    expect(text).toMatch(/\r\nHTTP\/1\.1 409 /);
    expect(text).toContain('"error_code":"MOCK.RESET"');
    expect(mock.meeting(ID)?.tokens).toEqual([]);
    expect(mock.requests()).toEqual([]);
  });

  it("records a body that is not valid JSON as its text, not as null", async () => {
    const { mock } = sim;
    const token = await tokenOf(mock.url);
    const bad = await fetch(
      `${mock.url}/v1/mmc/control/conferences/participants/share/invite?conferenceID=${ID}&participantID=alice`,
      {
        method: "PUT",
        headers: { "content-type": "application/json", "x-conference-authorization": token },
        body: '{"share":1,}',
      },
    );
    expect(bad.status).toBe(400);
    expect(mock.requests({ operation: "InviteShare" }).map((e) => [e.status, e.body])).toEqual([
      [400, '{"share":1,}'],
    ]);
  });

  it("is bounded: past journalLimit the oldest entries go", async () => {
    const { mock } = sim;
    for (let i = 0; i < 25; i++) await invite(mock.url, "camera");
    expect(mock.requests()).toHaveLength(20);
  });
});

describe("faults", () => {
  it("answer the next N requests of an operation with a status and Retry-After, then normally", async () => {
    const { mock } = sim;
    const token = await tokenOf(mock.url);
    expect(
      mock.fault({ operation: "InviteOperateVideo", status: 503, retryAfter: 1, count: 2 }),
    ).toHaveLength(1);
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await invite(mock.url, "camera", { auth: token }));
    expect(answers.map((a) => [a.status, a.headers.get("retry-after")])).toEqual([
      [503, "1"],
      [503, "1"],
      [200, null],
    ]);
    expect(answers[0]?.body).toEqual({ error_code: "MOCK.FAULT", error_msg: expect.any(String) });
    expect((await invite(mock.url, "share", { value: 1, auth: token })).status).toBe(200); // another operation
    expect(mock.requests({ operation: "InviteOperateVideo" }).map((e) => e.fault ?? null)).toEqual([
      "status",
      "status",
      null,
    ]);
    expect(mock.meeting(ID)?.participants[0]?.camera?.requestId).toBe(
      answers[2]?.headers.get("x-request-id"),
    );
  });

  it("delay an answer, which then is the simulator's own", async () => {
    const { mock } = sim;
    const token = await tokenOf(mock.url);
    mock.fault({ operation: "InviteShare", delayMs: 150 });
    const started = performance.now();
    const late = await invite(mock.url, "share", { value: 1, auth: token });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(late.status).toBe(200);
    expect(mock.requests({ operation: "InviteShare" })[0]?.fault).toBe("delay");
  });

  it("drop the connection without an answer", async () => {
    const { mock } = sim;
    const token = await tokenOf(mock.url);
    mock.fault({ operation: "InviteShare", drop: true });
    await expect(invite(mock.url, "share", { value: 1, auth: token })).rejects.toThrow();
    expect((await invite(mock.url, "share", { value: 1, auth: token })).status).toBe(200);
    await expect
      .poll(() =>
        mock.requests({ operation: "InviteShare" }).map((e) => [e.status, e.fault ?? null]),
      )
      .toEqual([
        [null, "drop"],
        [200, null],
      ]);
  });

  it("wait for a request Prism finds valid: a bad body does not take a fault", async () => {
    const { mock } = sim;
    const token = await tokenOf(mock.url);
    mock.fault({ operation: "InviteShare", status: 500 });
    expect(codeOf(await invite(mock.url, "share", { value: 7, auth: token }))).toEqual([
      400,
      "USG.000000003",
    ]);
    expect(codeOf(await invite(mock.url, "share", { value: 1, auth: token }))).toEqual([
      500,
      "MMC.000000002",
    ]);
  });

  it("refuse a field they do not take, naming it: a misspelt one would change the fault unseen", async () => {
    const { mock } = sim;
    const misspelt = await post("/faults", {
      operation: "InviteShare",
      status: 503,
      retryafter: 5,
    });
    expect(misspelt.status).toBe(400);
    expect(JSON.parse(misspelt.text).error_msg).toContain(
      'unknown field "retryafter"; a fault takes operation, count, status, retryAfter',
    );
    expect(() =>
      // @ts-expect-error not a field of a fault
      mock.fault({ operation: "InviteShare", stauts: 503, drop: true }),
    ).toThrow(/unknown field "stauts"/);
    expect(mock.faults()).toEqual([]);
    // A status's own fields on another kind, and a null count, are refused too: they were dropped.
    for (const [fault, message] of [
      [
        { operation: "InviteShare", delayMs: 100, retryAfter: 5 },
        "retryAfter goes with status only; this fault is delayMs",
      ],
      [
        { operation: "InviteShare", drop: true, contentType: "text/html" },
        "contentType goes with status only; this fault is drop",
      ],
      [
        { operation: "InviteShare", noBody: true, body: "x" },
        "body goes with status only; this fault is noBody",
      ],
      [
        { operation: "InviteShare", drop: true, count: null },
        "count must be a whole number from 1; got null",
      ],
    ] as const) {
      const refused = await post("/faults", fault);
      expect([refused.status, JSON.parse(refused.text).error_msg]).toEqual([
        400,
        `POST /__mock/faults: fault: ${message}`,
      ]);
    }
    expect(mock.faults()).toEqual([]);
    const clock = await post("/clock", { advanceMs: 0, x: 1 });
    expect(clock.status).toBe(400);
    expect(JSON.parse(clock.text).error_msg).toContain(
      'send { "advanceMs": <ms> } and nothing else',
    );
  });

  it("wait at most 1000 at once: the next is refused, naming count, and the queue is kept", async () => {
    const { mock } = sim;
    for (let i = 0; i < 1000; i++) mock.fault({ operation: "InviteShare", drop: true });
    expect(() => mock.fault({ operation: "InviteShare", drop: true })).toThrow(
      /at most 1000 faults wait at once \(use count for many answers of one\)/,
    );
    const refused = await post("/faults", { operation: "InviteShare", drop: true });
    expect(refused.status).toBe(400);
    expect(mock.faults()).toHaveLength(1000);
    mock.clearFaults();
    expect(mock.fault({ operation: "InviteShare", drop: true, count: 5000 })).toHaveLength(1);
  });

  it("are one kind each: a mix is refused by the types and at run time, and nothing is queued", () => {
    const { mock } = sim;
    const mixes = [
      // @ts-expect-error a status fault has a body; noBody is a kind of its own
      () => mock.fault({ operation: "InviteShare", status: 503, noBody: true }),
      // @ts-expect-error a dropped connection has no delay
      () => mock.fault({ operation: "InviteShare", drop: true, delayMs: 10 }),
      // @ts-expect-error a delayed answer is the simulator's own, not a status
      () => mock.fault({ operation: "InviteShare", delayMs: 10, status: 500 }),
      // @ts-expect-error noBody answers; it does not drop
      () => mock.fault({ operation: "InviteShare", noBody: true, drop: true }),
    ];
    for (const mix of mixes)
      expect(mix).toThrow(/give exactly one of status, delayMs, drop or noBody/);
    expect(mock.faults()).toEqual([]);
  });
});

describe("faults that give an answer the way the service or a gateway may shape it", () => {
  it("noBody: the invitation is applied, and its 200 has no body and no Content-Type", async () => {
    const { mock } = sim;
    const token = await tokenOf(mock.url);
    expect((await post("/faults", { operation: "InviteOperateVideo", noBody: true })).status).toBe(
      201,
    );
    const bare = await invite(mock.url, "camera", { value: 1, auth: token });
    expect([bare.status, bare.body, bare.headers.get("content-type")]).toEqual([200, null, null]);
    expect(bare.headers.get("content-length")).toBe("0");
    const id = bare.headers.get("x-request-id");
    expect(id).toMatch(/\S/);
    expect(mock.meeting(ID)?.participants[0]?.camera).toMatchObject({ requestId: id });
    expect(mock.requests({ operation: "InviteOperateVideo" })[0]).toMatchObject({
      status: 200,
      fault: "no-body",
    });
    // Then normally again, and a refusal under the fault stays the service's JSON.
    expect((await invite(mock.url, "camera", { auth: token })).headers.get("content-type")).toBe(
      "application/json",
    );
    // A refusal before the next success is the service's JSON, and leaves the fault waiting.
    mock.fault({ operation: "InviteShare", noBody: true });
    expect(codeOf(await invite(mock.url, "share", { value: 1, auth: "not-a-token" }))).toEqual([
      401,
      "USG.000000004",
    ]);
    expect(mock.faults()).toHaveLength(1);
    const later = await invite(mock.url, "share", { value: 1, auth: token });
    expect([later.status, later.body, later.headers.get("content-type")]).toEqual([
      200,
      null,
      null,
    ]);
    expect(mock.requests({ operation: "InviteShare" }).map((e) => [e.status, e.fault])).toEqual([
      [401, undefined],
      [200, "no-body"],
    ]);
    expect(mock.faults()).toEqual([]);
  });

  it("a string body is sent as it is: a gateway's HTML page, or nothing", async () => {
    const { mock } = sim;
    const token = await tokenOf(mock.url);
    const page = "<html><body>502 Bad Gateway</body></html>";
    await post("/faults", {
      operation: "InviteShare",
      status: 502,
      body: page,
      contentType: "text/html",
    });
    mock.fault({ operation: "InviteShare", status: 500, body: "" });
    expect(() =>
      // @ts-expect-error contentType goes with a string body only, in the types too
      mock.fault({ operation: "InviteShare", status: 502, contentType: "text/html" }),
    ).toThrow(/contentType goes with a string body only/);
    const answers = [];
    for (let i = 0; i < 2; i++) {
      const answer = await fetch(
        `${mock.url}/v1/mmc/control/conferences/participants/share/invite?conferenceID=${ID}&participantID=alice`,
        {
          method: "PUT",
          headers: { "content-type": "application/json", "x-conference-authorization": token },
          body: '{"share": 1}',
        },
      );
      answers.push([answer.status, answer.headers.get("content-type"), await answer.text()]);
    }
    expect(answers).toEqual([
      [502, "text/html", page],
      [500, null, ""],
    ]);
    expect(mock.meeting(ID)?.participants[0]?.share).toBeNull();
  });
});

describe("the admin routes", () => {
  it(`live under ${ADMIN_PREFIX}, which the API spec does not have`, () => {
    const paths = Object.keys(specDocument().paths);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((p) => p.startsWith(ADMIN_PREFIX))).toEqual([]);
    expect(specPath).toMatch(/openapi\.yaml$/);
  });

  it("advance the clock, queue faults, show state and the journal, and reset", async () => {
    const { mock } = sim;
    const token = await tokenOf(mock.url);
    const before = mock.advanceTime(0).getTime();
    const clock = JSON.parse((await post("/clock", { advanceMs: 31 * MINUTES })).text);
    expect(Date.parse(clock.now)).toBeGreaterThanOrEqual(before + 31 * MINUTES);
    expect(Date.parse(clock.now)).toBeLessThanOrEqual(mock.advanceTime(0).getTime());
    expect(codeOf(await invite(mock.url, "camera", { auth: token }))).toEqual([
      401,
      "USG.000000004",
    ]);
    const queued = await post("/faults", { operation: "CreateConfToken", status: 500 });
    expect([queued.status, JSON.parse(queued.text).faults]).toEqual([
      201,
      [{ operation: "CreateConfToken", status: 500, count: 1 }],
    ]);
    expect(JSON.parse((await admin("/faults")).text).faults).toHaveLength(1);
    expect((await admin("/faults", { method: "DELETE" })).status).toBe(200);
    expect(mock.faults()).toEqual([]);
    const meeting = JSON.parse((await admin(`/meetings/${ID}`)).text);
    expect(meeting).toEqual(mock.meeting(ID));
    expect(JSON.parse((await admin("/meetings")).text).meetings).toHaveLength(MEETINGS.length);
    const journal = JSON.parse(
      (await admin("/requests?operation=InviteOperateVideo")).text,
    ).requests;
    expect(journal.map((e: { status: number }) => e.status)).toEqual([401]);
    expect((await post("/reset", {})).status).toBe(200);
    expect(mock.requests()).toEqual([]);
  });

  it("answer bad input in the service's error shape, with a fresh request id", async () => {
    const seen = new Set<string>();
    const cases: [
      Promise<{ status: number; headers: Record<string, string>; text: string }>,
      number,
      RegExp,
    ][] = [
      [post("/clock", { advanceMs: -5 }), 400, /advanceTime takes a whole number/],
      [post("/clock", { advanceMs: Number.MAX_SAFE_INTEGER }), 400, /before the year 100000/],
      [post("/clock", {}), 400, /advanceMs/],
      [admin("/clock", { method: "POST", body: "{not json" }), 400, /not JSON/],
      [post("/faults", { operation: "Nope", status: 503 }), 400, /operation must be one of/],
      [admin("/requests?operation=Nope"), 400, /operation must be one of/],
      // Not the spec's words: the admin routes are no operation of the spec.
      [admin("/meetings/000000000"), 404, /^The simulator has no meeting 000000000; GET /],
      [admin("/nothing"), 404, /^The mock has no admin route at \/__mock\/nothing$/],
      // The admin routes are the mock's, not the spec's.
      [admin("/reset"), 405, /^GET is not allowed here; this admin route allows POST$/],
      // A string that reads as a number is shown as the string it is.
      [post("/clock", { advanceMs: "1000" }), 400, /; got "1000"$/],
    ];
    for (const [pending, status, message] of cases) {
      const answer = await pending;
      expectOwnShape({ ...answer, body: answer.text }, status, seen);
      expect(JSON.parse(answer.text).error_msg).toMatch(message);
    }
    // The clock refused a move past every date, and still answers.
    expect((await admin("/clock")).status).toBe(200);
  });

  it("never echo a host password or an issued token in an error: a path, a query or a body that holds one", async () => {
    const { mock } = sim;
    const token = await tokenOf(mock.url);
    const answers = await Promise.all([
      admin(`/meetings/${PASSWORD}`),
      admin(`/nothing/${encodeURIComponent(token)}`),
      admin(`/requests?operation=${PASSWORD}`),
      post("/faults", { operation: "InviteShare", status: token }),
      post("/clock", { advanceMs: PASSWORD }),
      admin(`/reset/${PASSWORD.toUpperCase()}`, { method: "POST" }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([404, 404, 400, 400, 400, 404]);
    for (const answer of answers) {
      expect(JSON.parse(answer.text).error_msg).toContain("[redacted]");
      expect(answer.text.toLowerCase()).not.toContain(PASSWORD.toLowerCase());
      expect(answer.text).not.toContain(token);
    }
  });

  it("never echo the start of one that a message's 120-character quote would cut in two", async () => {
    const { mock } = sim;
    const token = await tokenOf(mock.url);
    const pad = (n: number) => "x".repeat(n);
    const texts = await Promise.all([
      admin(`/meetings/${pad(110)}${PASSWORD}`).then((a) => a.text),
      admin(`/meetings/${pad(110)}${token}`).then((a) => a.text),
      admin(`/nothing/${pad(100)}${PASSWORD}`).then((a) => a.text),
      admin("/clock", { headers: { origin: `http://${pad(110)}${PASSWORD}.example` } }).then(
        (a) => a.text,
      ),
      atHost(`${mock.adminUrl}/clock`, `${pad(110)}${token}.example`).then((a) => a.body),
      invite(mock.url, "camera", {
        value: 1,
        auth: token,
        extra: { "content-encoding": `${pad(110)}${token}` },
      }).then((a) => JSON.stringify(a.body)),
    ]);
    for (const text of texts) {
      expect(text).toMatch(/"error_msg":"/);
      for (const secret of [PASSWORD, token]) expect(text).not.toContain(`x${secret.slice(0, 3)}`);
    }
  });

  it("redacts the tmpWsToken the mock issued, and a host password in any case", async () => {
    const { mock } = sim;
    const issued = await getToken(mock.url);
    const ws = String((issued.body.data as { tmpWsToken?: string } | undefined)?.tmpWsToken ?? "");
    expect(ws).not.toBe("");
    const upper = PASSWORD.toUpperCase();
    await fetch(`${mock.url}/v1/mmc/control/conferences/token?conferenceID=${ID}&echo=${upper}`, {
      headers: { "X-Password": PASSWORD, "X-Login-Type": "1", "X-Nonce": ws, "x-note": upper },
    });
    const entry = mock.requests().at(-1);
    expect(entry?.headers["x-nonce"]).toBe("[redacted]");
    expect(entry?.headers["x-note"]).toBe("[redacted]");
    expect(entry?.query.echo).toBe("[redacted]");
    expect(JSON.stringify(mock.requests()).toLowerCase()).not.toContain(PASSWORD);
    expect(JSON.stringify(mock.requests())).not.toContain(ws);
  });

  it("let a page on loopback call them (CORS preflight)", async () => {
    const preflight = await admin("/faults", {
      method: "OPTIONS",
      headers: {
        origin: "http://127.0.0.1:5173",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers["access-control-allow-origin"]).toBe("*");
    expect(preflight.headers["access-control-allow-methods"]).toMatch(/POST/);
    expect((await admin("/meetings")).headers["access-control-allow-origin"]).toBe("*");
  });
  it.skipIf(!hasCurl && !inCI)(
    "are readable with curl: the journal and a participant's state",
    async () => {
      const { mock } = sim;
      const token = await tokenOf(mock.url);
      const sent = await invite(mock.url, "camera", { value: 0, auth: token });
      const curl = async (path: string) =>
        JSON.parse(
          (await run("curl", ["-sS", "--fail-with-body", `${mock.adminUrl}${path}`])).stdout,
        );
      const journal = await curl("/requests?operation=InviteOperateVideo");
      expect(journal.requests).toEqual([
        expect.objectContaining({
          status: 200,
          body: { status: 0 },
          requestId: sent.headers.get("x-request-id"),
        }),
      ]);
      const meeting = await curl(`/meetings/${ID}`);
      expect(meeting.participants[0].camera).toMatchObject({
        action: "enable",
        requestId: sent.headers.get("x-request-id"),
      });
    },
  );
});

describe("a page of another site, open in the developer's browser", () => {
  const from = (origin: string, path: string, init: RequestInit = {}) =>
    admin(path, { ...init, headers: { ...(init.headers as object), origin } });
  const FAULT = JSON.stringify({ operation: "InviteShare", status: 503 });

  it("cannot reset the simulator, queue faults or move the clock: 403, and nothing is done", async () => {
    const { mock } = sim;
    const token = await tokenOf(mock.url);
    const journal = mock.requests().length;
    const seen = new Set<string>();
    for (const origin of [
      "https://attacker.example",
      // DNS rebinding: another site's name, resolved to the mock's own address.
      `http://attacker.example:${mock.port}`,
      "null",
      "http://127.0.0.1.attacker.example",
      "http://localhost.attacker.example:5173",
      "http://[::ffff:10.0.0.1]",
    ]) {
      // A form's POST: text/plain, so the browser sends it without a preflight.
      const asForm = { method: "POST", headers: { "content-type": "text/plain" } };
      for (const [path, init] of [
        ["/reset", asForm],
        ["/faults", { ...asForm, body: FAULT }],
        ["/clock", { ...asForm, body: '{"advanceMs": 1860000}' }],
        ["/faults", { method: "DELETE" }],
        ["/requests", {}],
      ] as const) {
        const answer = await from(origin, path, init);
        expectOwnShape({ ...answer, body: answer.text }, 403, seen);
        expect(JSON.parse(answer.text), `${origin} ${path}`).toEqual({
          error_code: "MOCK.FORBIDDEN_ORIGIN",
          error_msg: expect.stringContaining(`a page of ${origin}`),
        });
      }
      const preflight = await from(origin, "/faults", {
        method: "OPTIONS",
        headers: { "access-control-request-method": "POST" },
      });
      expect(preflight.status).toBe(403);
      expect(preflight.headers["access-control-allow-methods"]).toBeUndefined();
    }
    expect(mock.faults()).toEqual([]);
    expect(mock.requests()).toHaveLength(journal);
    // Neither reset nor 31 minutes on: the token still works.
    expect(codeOf(await invite(mock.url, "camera", { auth: token }))[0]).toBe(200);
  });

  it("gets 403 for a body over the limit too, where one allowed gets 413", async () => {
    const big = JSON.stringify({ operation: "InviteShare", status: 503, pad: "x".repeat(100_000) });
    const json = { "content-type": "application/json" };
    const refused = await from("https://attacker.example", "/faults", {
      method: "POST",
      headers: json,
      body: big,
    });
    expect(JSON.parse(refused.text).error_code).toBe("MOCK.FORBIDDEN_ORIGIN");
    expect((await admin("/faults", { method: "POST", headers: json, body: big })).status).toBe(413);
    expect(sim.mock.faults()).toEqual([]);
  });

  it("is not quoted with a password in its origin", async () => {
    const answer = await from(`https://${PASSWORD}.example`, "/reset", { method: "POST" });
    expect(answer.status).toBe(403);
    expect(answer.text.toLowerCase()).not.toContain(PASSWORD.toLowerCase());
    expect(JSON.parse(answer.text).error_msg).toContain("[redacted]");
  });

  it("may, when it is on loopback; requests without an Origin (curl, scripts) always may", async () => {
    for (const origin of [
      "http://localhost:5173",
      "http://127.0.0.1:5173",
      "http://127.1.2.3",
      "http://[::1]:8080",
      "https://demo.localhost",
      "http://localhost.:5173",
      "http://[::ffff:127.0.0.1]:8080",
    ]) {
      const added = await from(origin, "/faults", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: FAULT,
      });
      expect(added.status, origin).toBe(201);
    }
    expect(sim.mock.faults()).toHaveLength(7);
    expect((await admin("/faults", { method: "DELETE" })).status).toBe(200);
  });

  it("may, when the mock lists its origin in adminOrigins (or *)", async () => {
    const listed = await startMockServer({
      port: 0,
      meetings: MEETINGS,
      adminOrigins: ["http://web:3000"],
    });
    onTestFinished(() => listed.close());
    const reset = (origin: string) =>
      fetch(`${listed.adminUrl}/reset`, { method: "POST", headers: { origin } });
    expect((await reset("http://web:3000")).status).toBe(200);
    expect((await reset("http://web:3001")).status).toBe(403);
    expect((await reset("https://web:3000")).status).toBe(403);
    const any = await startMockServer({ port: 0, meetings: MEETINGS, adminOrigins: ["*"] });
    onTestFinished(() => any.close());
    const anywhere = await fetch(`${any.adminUrl}/reset`, {
      method: "POST",
      headers: { origin: "https://anywhere.example" },
    });
    expect(anywhere.status).toBe(200);
  });

  it("adminOrigins refuses what is not an origin, naming the option", async () => {
    for (const bad of ["http://web:3000/", "web:3000", "null", "http://web:3000/path"])
      await expect(
        startMockServer({ port: 0, meetings: MEETINGS, adminOrigins: [bad] }),
      ).rejects.toThrow(
        new RangeError(
          `meeting-control-mock: adminOrigins (--admin-origin) must hold origins such as http://web:3000 (scheme, host and port; no path or trailing slash) or *; got ${bad}`,
        ),
      );
  });
});

describe("a page that reaches the mock by DNS rebinding (its own site's name, the mock's address)", () => {
  // Its GETs are same-origin, so they carry no Origin: the Host header names its site.
  const to = (host: string, path: string, method = "GET") =>
    atHost(`${sim.mock.adminUrl}${path}`, host, method);

  it("cannot read the journal, the meetings, the clock or the faults, nor change them: 403", async () => {
    const { mock } = sim;
    await tokenOf(mock.url);
    await post("/faults", { operation: "InviteShare", status: 503 });
    const journal = mock.requests().length;
    const seen = new Set<string>();
    for (const host of [
      `attacker.example:${mock.port}`,
      "attacker.example",
      "ATTACKER.example.",
      `127.0.0.1.attacker.example:${mock.port}`,
      "localhost.attacker.example",
      "attacker.localhost.example",
      // Nothing `new URL` would read as another host.
      "attacker.example@127.0.0.1",
      "attacker.example\\@localhost",
      "localhost/.attacker.example",
      "localhost%2f.attacker.example",
      "localhost\\.attacker.example",
      "localhost?.attacker.example",
      "localhost#.attacker.example",
      // One label: the network's DNS server or an LLMNR peer answers for it; a mock on loopback
      // does not need it. With a trailing dot, a top-level domain's name.
      "mock:4010",
      "meeting-mock",
      "ai.",
    ]) {
      for (const [path, method] of [
        ["/requests", "GET"],
        ["/meetings", "GET"],
        [`/meetings/${ID}`, "GET"],
        ["/clock", "GET"],
        ["/faults", "GET"],
        ["/faults", "DELETE"],
        ["/reset", "POST"],
      ] as const) {
        const answer = await to(host, path, method);
        expectOwnShape(answer, 403, seen);
        expect(JSON.parse(answer.body), `${host} ${method} ${path}`).toEqual({
          error_code: "MOCK.FORBIDDEN_HOST",
          error_msg: expect.stringContaining(`this request was to ${host}`),
        });
        expect(answer.body).not.toContain(ID);
      }
    }
    expect(mock.faults()).toHaveLength(1);
    expect(mock.requests()).toHaveLength(journal);
    expect((await admin("/faults", { method: "DELETE" })).status).toBe(200);
  });

  it("is not quoted with a password in its Host", async () => {
    const answer = await to(`${PASSWORD}.example`, "/requests");
    expect(answer.status).toBe(403);
    expect(answer.body.toLowerCase()).not.toContain(PASSWORD.toLowerCase());
    expect(JSON.parse(answer.body).error_msg).toContain("[redacted]");
  });

  it("cannot get in with two Host headers, or a target in absolute form", async () => {
    const { mock } = sim;
    for (const head of [
      `GET ${ADMIN_PREFIX}/requests HTTP/1.1\r\nHost: localhost\r\nHost: attacker.example\r\n`,
      `GET http://attacker.example${ADMIN_PREFIX}/requests HTTP/1.1\r\nHost: localhost\r\n`,
    ]) {
      const answer = await raw(mock.url, `${head}Connection: close\r\n\r\n`);
      expect(answer, head).toMatchObject({ status: 403 });
      expect(JSON.parse((answer as { body: string }).body).error_code).toBe("MOCK.FORBIDDEN_HOST");
      if (head.includes("Host: attacker.example\r\n"))
        expect((answer as { body: string }).body).toContain("this request was to two Host headers");
    }
    const target = `GET http://localhost${ADMIN_PREFIX}/clock HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n`;
    expect(await raw(mock.url, target)).toMatchObject({ status: 200 });
  });

  it("leaves loopback names and IP addresses answered", async () => {
    const { port } = sim.mock;
    for (const host of [
      `localhost:${port}`,
      "LOCALHOST",
      "localhost.",
      "demo.localhost",
      `127.0.0.1:${port}`,
      "127.1",
      `[::1]:${port}`,
      "10.1.2.3:4010",
      "[fe80::1]",
      "0x7f.1",
    ]) {
      const answer = await to(host, "/clock");
      expect(answer.status, host).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ now: expect.any(String) });
    }
    // HTTP/1.0 needs no Host.
    const old = await raw(sim.mock.url, `GET ${ADMIN_PREFIX}/clock HTTP/1.0\r\n\r\n`);
    expect(old).toMatchObject({ status: 200 });
  });

  it("may, when the mock lists its host in adminHosts (or *), or listens on that name", async () => {
    const listed = await startMockServer({
      port: 0,
      meetings: MEETINGS,
      adminHosts: ["MOCK.ci.internal.", "*.svc.cluster.local"],
    });
    onTestFinished(() => listed.close());
    const status = async (host: string) => (await atHost(`${listed.adminUrl}/clock`, host)).status;
    for (const host of [
      "mock.ci.internal:4010",
      "MOCK.CI.INTERNAL",
      "mock.ci.internal.",
      "mock.ns.svc.cluster.local:4010",
      "svc.cluster.local",
    ])
      expect(await status(host), host).toBe(200);
    for (const host of ["x.mock.ci.internal", "ci.internal", "evilsvc.cluster.local"])
      expect(await status(host), host).toBe(403);
    const any = await startMockServer({ port: 0, meetings: MEETINGS, adminHosts: ["*"] });
    onTestFinished(() => any.close());
    expect((await atHost(`${any.adminUrl}/clock`, "attacker.example")).status).toBe(200);
  });

  it("answers the name it listens on, and one-label names when it listens beyond loopback", () => {
    // Listening on 0.0.0.0 or a name in a test would open it to the network: the rule itself.
    const allowed = (host: string, listening: string) =>
      adminHostAllowed(host, adminHostsOf([], listening));
    expect(allowed("box.lan:4010", "box.lan")).toBe(true);
    expect(allowed("box.lan:4010", "127.0.0.1")).toBe(false);
    for (const listening of ["0.0.0.0", "::", "192.168.1.20", "box.lan"]) {
      expect(allowed("mock:4010", listening), listening).toBe(true);
      expect(allowed("meeting-mock", listening), listening).toBe(true);
      expect(allowed("ai.", listening), listening).toBe(false);
      expect(allowed("attacker.example", listening), listening).toBe(false);
    }
    expect(allowed("bücher.example", "Bücher.Example")).toBe(true);
    expect(allowed("xn--bcher-kva.example", "Bücher.Example")).toBe(true);
    for (const listening of ["127.0.0.1", "localhost", "::1", "127.0.0.2", "::ffff:127.0.0.1"])
      expect(allowed("mock:4010", listening), listening).toBe(false);
  });

  it("adminHosts refuses what is not a host name, naming the option", async () => {
    for (const bad of ["http://mock", "mock:4010", "mock/x", "", ".", "a b", "user@mock"])
      await expect(
        startMockServer({ port: 0, meetings: MEETINGS, adminHosts: [bad] }),
      ).rejects.toThrow(
        new RangeError(
          `meeting-control-mock: adminHosts (--admin-host) must hold host names such as mock.ci.internal (no scheme or port), .ci.internal for it and every name under it, or *; got ${bad}`,
        ),
      );
  });
});

/** A folder for this test's files, removed after it. */
function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), "mock-meetings-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe("meeting-control-mock --meetings", () => {
  it("simulates the file's meetings, and its banner lists them without their passwords", async () => {
    const file = join(tempDir(), "meetings.json");
    writeFileSync(file, JSON.stringify(MEETINGS));
    const { url, out } = await startBin(["--meetings", file]);
    expect(out).toMatch(new RegExp(`${ID}: alice, phone \\(audio only\\)`));
    expect(out).toMatch(/111222333 \[locked\]/);
    expect(out).toContain(`${url}${ADMIN_PREFIX}`);
    expect(out).not.toContain(PASSWORD);
    const token = await tokenOf(url);
    expect(codeOf(await invite(url, "camera", { participant: "phone", auth: token }))).toEqual([
      400,
      "MMC.111072026",
    ]);
  });

  it("lets the pages of each --admin-origin and the hosts of each --admin-host call the admin routes, and refuses a bad one", async () => {
    const file = join(tempDir(), "meetings.json");
    writeFileSync(file, JSON.stringify(MEETINGS));
    const { url } = await startBin([
      "--meetings",
      file,
      "--admin-origin",
      "http://web:3000",
      "--admin-origin",
      "https://ci.example",
      "--admin-host",
      "mock.ci.internal",
      "--admin-host",
      ".example.test",
    ]);
    const reset = async (origin: string) =>
      (await fetch(`${url}${ADMIN_PREFIX}/reset`, { method: "POST", headers: { origin } })).status;
    expect(await reset("http://web:3000")).toBe(200);
    expect(await reset("https://ci.example")).toBe(200);
    expect(await reset("https://attacker.example")).toBe(403);
    const at = async (host: string) => (await atHost(`${url}${ADMIN_PREFIX}/clock`, host)).status;
    expect(await at("mock.ci.internal:4010")).toBe(200);
    expect(await at("mock.example.test")).toBe(200);
    expect(await at("attacker.example")).toBe(403);
    const bin = join(import.meta.dirname, "../dist/bin.js");
    for (const flag of ["--admin-origin", "--admin-host"])
      await expect(
        run(process.execPath, [bin, "--port", "0", flag, "http://web:3000"]),
      ).rejects.toMatchObject({
        code: 2,
        stderr: expect.stringContaining(`${flag} goes with --meetings or --proxy`),
      });
    await expect(
      run(process.execPath, [bin, "--port", "0", "--meetings", file, "--admin-host", "mock:4010"]),
    ).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("adminHosts (--admin-host) must hold host names"),
    });
    await expect(
      run(process.execPath, [bin, "--port", "0", "--meetings", file, "--admin-origin", "web:3000"]),
    ).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("adminOrigins (--admin-origin) must hold origins"),
    });
  });

  it("reads a --meetings file saved with a UTF-8 byte order mark", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mock-bom-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, "bom.json");
    writeFileSync(file, `\uFEFF${JSON.stringify(MEETINGS)}`);
    const mock = await startBin(["--meetings", file]);
    const answer = await fetch(`${mock.url}${ADMIN_PREFIX}/meetings`);
    expect(answer.status).toBe(200);
    expect(JSON.stringify(await answer.json())).toContain(MEETINGS[0]?.conferenceID);
  });

  it("exits 2 with a message for a file it cannot read or a bad meeting, nothing started", async () => {
    const withMeetings = (file: string) =>
      run(process.execPath, [
        join(import.meta.dirname, "../dist/bin.js"),
        "--port",
        "0",
        "--meetings",
        file,
      ]);
    const missing = withMeetings("/no/such/file.json");
    await expect(missing).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--meetings \/no\/such\/file\.json: ENOENT/),
    });
    const dir = tempDir();
    writeFileSync(
      join(dir, "bad.json"),
      JSON.stringify([{ conferenceID: ID, hostPassword: "x", participants: "all" }]),
    );
    const bad = await withMeetings(join(dir, "bad.json")).catch((e: { stderr: string }) => e);
    expect(bad).toMatchObject({
      code: 2,
      // The command's own prefix, once, as on its other usage errors.
      stderr: expect.stringMatching(
        /^meeting-control-mock: meetings\[0\]\.participants must be an array/,
      ),
    });
    expect(bad.stderr).not.toContain("Mock meeting-control API");
    // A host password of the wrong type, or in a file that is not JSON, is not quoted.
    writeFileSync(
      join(dir, "pin.json"),
      JSON.stringify([{ conferenceID: ID, hostPassword: 189609, participants: [] }]),
    );
    const pin = await withMeetings(join(dir, "pin.json")).catch((e: { stderr: string }) => e);
    expect(pin).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(
        "meetings[0].hostPassword must be a non-empty string; got a number",
      ),
    });
    writeFileSync(join(dir, "quoted.json"), `[{"hostPassword":'s3cret-pw-777'}]`);
    const quoted = await withMeetings(join(dir, "quoted.json")).catch((e: { stderr: string }) => e);
    expect(quoted).toMatchObject({ code: 2, stderr: expect.stringContaining("not valid JSON") });
    for (const failed of [pin, quoted]) {
      expect(failed.stderr).not.toContain("189609");
      expect(failed.stderr).not.toContain("s3cret");
    }
    // A file without meetings in it (a typo in its key) does not start the contract mock instead.
    writeFileSync(join(dir, "typo.json"), JSON.stringify({ meeting: MEETINGS }));
    const typo = withMeetings(join(dir, "typo.json"));
    await expect(typo).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(
        /typo\.json: expected a JSON array of meetings, or an object with a "meetings" array/,
      ),
    });
  });

  it("refuses startMockServer's typed API a bad fault as a SimulatorInputError", async () => {
    const mock = await startMockServer({ port: 0, meetings: MEETINGS });
    onTestFinished(() => mock.close());
    expect(() => mock.fault({ operation: "InviteShare", status: 99 })).toThrow(
      expect.objectContaining({ name: "SimulatorInputError" }),
    );
  });
});
