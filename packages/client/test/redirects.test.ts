// The service never redirects. A 3xx means a wrong base URL or an attack, and following it would
// send X-Conference-Authorization or X-Password to the host it names. Two real servers on
// loopback: the one the user named, which redirects, and the one the redirect points to.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMeetingControlClient, RedirectError } from "../src/index.js";
import { json, loopbackServer } from "./server.js";

const TOKEN = "SECRET-TOKEN-7f3a9c";
const PASSWORD = "SECRET-PASSWORD-51be2d";
const IDS = { conferenceID: "986947855", participantID: "4a5rg64ag5p8pvvnam1rr6m8lqra6a61" };

let elsewhere: Awaited<ReturnType<typeof loopbackServer>>;
let status = 307;
let named: Awaited<ReturnType<typeof loopbackServer>>;

beforeAll(async () => {
  // Where a redirect points: it would happily take the credentials and hand out a token.
  elsewhere = await loopbackServer((_, res) =>
    json(res, 200, { data: { token: "ATTACKER-CHOSEN-TOKEN", confTokenExpireTime: 1800 } }),
  );
  named = await loopbackServer((request, res) => {
    res
      .writeHead(status, {
        location: `${elsewhere.url}/steal${request.url.pathname}?key=k3y#frag`,
        "x-request-id": "redirect-1",
      })
      .end();
  });
});
afterAll(() => Promise.all([named.close(), elsewhere.close()]));

const reject = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail("expected a rejection"),
    (e: unknown) => e,
  );

describe("a redirect is never followed", () => {
  it.each([301, 302, 303, 307, 308])(
    "%i on a control call: a RedirectError naming the status and the origin only, not retried",
    async (code) => {
      status = code;
      const before = named.requests.length;
      const client = createMeetingControlClient({ token: TOKEN, baseUrl: named.url });
      const error = await reject(client.inviteCamera({ ...IDS, action: "enable" }));
      expect(error).toBeInstanceOf(RedirectError);
      expect(error).toMatchObject({
        operation: "InviteOperateVideo",
        status: code,
        location: elsewhere.url,
        requestId: "redirect-1",
      });
      expect((error as Error).message).toBe(
        `InviteOperateVideo got a redirect, not followed: HTTP ${code} to ${elsewhere.url}; check baseUrl`,
      );
      expect((error as Error).message).not.toMatch(/steal|k3y|frag/);
      expect(named.requests.length - before).toBe(1);
      expect(elsewhere.requests).toHaveLength(0);
    },
  );

  it("on CreateConfToken: the host password stays, and the other host's token is not taken", async () => {
    status = 302;
    const client = createMeetingControlClient({ hostPassword: PASSWORD, baseUrl: named.url });
    const error = await reject(client.createConfToken({ conferenceID: IDS.conferenceID }));
    expect(error).toMatchObject({ name: "RedirectError", operation: "CreateConfToken" });
    // The token flow behind a control call stops the same way.
    await expect(client.inviteScreenShare({ ...IDS, action: "invite" })).rejects.toBeInstanceOf(
      RedirectError,
    );
    expect(elsewhere.requests).toHaveLength(0);
  });

  it("client.raw does not follow one either: the 3xx comes back as it is", async () => {
    status = 308;
    const client = createMeetingControlClient({ token: TOKEN, baseUrl: named.url });
    const { response } = await client.raw.PUT("/v1/mmc/control/conferences/participants/video", {
      params: { query: IDS },
      headers: { "X-Conference-Authorization": TOKEN },
      body: { status: 0 },
    });
    expect(response.status).toBe(308);
    expect(elsewhere.requests).toHaveLength(0);
  });
});

it("a browser's opaque redirect (status 0, no headers) is a RedirectError too", async () => {
  // What fetch gives a page for `redirect: "manual"`; Node cannot build one, so it is described.
  const opaque = Object.assign(new Response(null, { status: 200 }), {});
  Object.defineProperties(opaque, {
    status: { value: 0 },
    ok: { value: false },
    type: { value: "opaqueredirect" },
  });
  const sent: Request[] = [];
  const client = createMeetingControlClient({
    token: TOKEN,
    baseUrl: "https://api.meeting.test",
    fetch: async (request) => {
      sent.push(request);
      return opaque;
    },
  });
  const error = await reject(client.inviteScreenShare({ ...IDS, action: "cancel" }));
  expect(error).toBeInstanceOf(RedirectError);
  expect(error).toMatchObject({ status: 0, location: undefined });
  expect((error as Error).message).toBe(
    "InviteShare got a redirect, not followed: HTTP 0; check baseUrl",
  );
  expect(sent.map((r) => r.redirect)).toEqual(["manual"]);
});

it("a Location whose host echoes the token shows it redacted", async () => {
  const token = "stbaf8fa2ea8token";
  const echo = await loopbackServer((request, res) => {
    const sent = request.headers["x-conference-authorization"];
    res.writeHead(302, { location: `https://${sent}.evil.test/` }).end();
  });
  try {
    const client = createMeetingControlClient({ token, baseUrl: echo.url });
    const error = await reject(client.inviteCamera({ ...IDS, action: "enable" }));
    expect(error).toMatchObject({ name: "RedirectError", location: "https://***.evil.test" });
    expect(JSON.stringify(error)).not.toContain(token);
    expect((error as Error).message).not.toContain(token);
  } finally {
    await echo.close();
  }
});
