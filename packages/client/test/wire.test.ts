import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMeetingControlClient } from "../src/index.js";
import { json, loopbackServer } from "./server.js";

const TOKEN = "stbaf8fa2ea8-example-token";
const IDS = { conferenceID: "986947855", participantID: "4a5rg64ag5p8pvvnam1rr6m8lqra6a61" };

let server: Awaited<ReturnType<typeof loopbackServer>>;
beforeAll(async () => {
  server = await loopbackServer((_, res) => json(res, 200, {}));
});
afterAll(() => server.close());

const last = () => server.requests.at(-1) as (typeof server.requests)[number];

describe("the wire format is the spec's", () => {
  it.each([
    ["inviteCamera", "enable", "/v1/mmc/control/conferences/participants/video", { status: 0 }],
    ["inviteCamera", "disable", "/v1/mmc/control/conferences/participants/video", { status: 1 }],
    [
      "inviteScreenShare",
      "invite",
      "/v1/mmc/control/conferences/participants/share/invite",
      { share: 1 },
    ],
    [
      "inviteScreenShare",
      "cancel",
      "/v1/mmc/control/conferences/participants/share/invite",
      { share: 0 },
    ],
  ] as const)("%s %s → PUT %s %j", async (method, action, path, body) => {
    const client = createMeetingControlClient({ token: TOKEN, baseUrl: server.url });
    const call = client[method] as (r: typeof IDS & { action: string }) => Promise<unknown>;
    await call({ ...IDS, action });
    const request = last();
    expect(request.method).toBe("PUT");
    expect(request.url.pathname).toBe(path);
    expect(Object.fromEntries(request.url.searchParams)).toEqual(IDS);
    expect(JSON.parse(request.body)).toEqual(body);
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers["x-conference-authorization"]).toBe(TOKEN);
  });

  it("sends a Basic token as it is given", async () => {
    const basic = `Basic ${Buffer.from(TOKEN).toString("base64")}`;
    const client = createMeetingControlClient({ token: basic, baseUrl: server.url });
    await client.inviteCamera({ ...IDS, action: "enable" });
    expect(last().headers["x-conference-authorization"]).toBe(basic);
  });

  it("asks a token function for each conference", async () => {
    const asked: string[] = [];
    const client = createMeetingControlClient({
      baseUrl: server.url,
      token: async (conferenceID) => {
        asked.push(conferenceID);
        return `token-for-${conferenceID}`;
      },
    });
    await client.inviteScreenShare({ ...IDS, action: "invite" });
    expect(asked).toEqual([IDS.conferenceID]);
    expect(last().headers["x-conference-authorization"]).toBe(`token-for-${IDS.conferenceID}`);
  });

  it.each([
    ["Unicode", "会议-😀-ü"],
    ["reserved characters", "a&b=c#d/e?f"],
    ["spaces and percent signs", "a b%20c+d"],
  ])("query values with %s survive the round trip", async (_, participantID) => {
    const conferenceID = "98 &#/ü5";
    const client = createMeetingControlClient({ token: TOKEN, baseUrl: server.url });
    await client.inviteCamera({ conferenceID, participantID, action: "disable" });
    const { url } = last();
    expect(url.pathname).toBe("/v1/mmc/control/conferences/participants/video");
    expect([...url.searchParams]).toEqual([
      ["conferenceID", conferenceID],
      ["participantID", participantID],
    ]);
  });

  it("keeps a base URL's path prefix", async () => {
    const client = createMeetingControlClient({ token: TOKEN, baseUrl: `${server.url}/prefix/` });
    await client.inviteCamera({ ...IDS, action: "enable" });
    expect(last().url.pathname).toBe("/prefix/v1/mmc/control/conferences/participants/video");
  });

  it("CreateConfToken sends the conference, the password and login type 1, and no token", async () => {
    const token = await loopbackServer((_, res) =>
      json(res, 200, { data: { token: "fresh", confTokenExpireTime: 1800 } }),
    );
    try {
      const client = createMeetingControlClient({
        hostPassword: "host-pass-123",
        baseUrl: token.url,
      });
      await client.createConfToken({ conferenceID: IDS.conferenceID });
      const [request] = token.requests;
      expect(request?.method).toBe("GET");
      expect(request?.url.pathname).toBe("/v1/mmc/control/conferences/token");
      expect(Object.fromEntries(request?.url.searchParams ?? [])).toEqual({
        conferenceID: IDS.conferenceID,
      });
      expect(request?.headers["x-password"]).toBe("host-pass-123");
      expect(request?.headers["x-login-type"]).toBe("1");
      expect(request?.headers["x-conference-authorization"]).toBeUndefined();
    } finally {
      await token.close();
    }
  });
});

it("client.raw is openapi-fetch on the client's base URL and fetch, with nothing added", async () => {
  const seen: Request[] = [];
  const client = createMeetingControlClient({
    token: TOKEN,
    baseUrl: "https://api.meeting.test/prefix/",
    fetch: async (request) => {
      seen.push(request);
      return new Response("", { status: 503 });
    },
  });
  const { response } = await client.raw.PUT("/v1/mmc/control/conferences/participants/video", {
    params: { query: IDS },
    headers: { "X-Conference-Authorization": TOKEN },
    body: { status: 1 },
    parseAs: "text",
  });
  // A 503 is returned, not thrown or retried: raw has no retries of its own.
  expect(response.status).toBe(503);
  expect(seen).toHaveLength(1);
  expect(seen[0]?.url).toBe(
    `https://api.meeting.test/prefix/v1/mmc/control/conferences/participants/video?conferenceID=${IDS.conferenceID}&participantID=${IDS.participantID}`,
  );
  expect(await seen[0]?.text()).toBe('{"status":1}');
});

describe("extra headers go with the requests they are given for", () => {
  const prefer = (r: (typeof server.requests)[number]) => [r.headers.prefer, r.headers.traceparent];
  const TRACE = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  it("client-wide on every request, a call's own over them, credentials untouched", async () => {
    const client = createMeetingControlClient({
      token: TOKEN,
      baseUrl: server.url,
      headers: { Prefer: "code=200", traceparent: TRACE },
    });
    await client.inviteCamera({ ...IDS, action: "enable" });
    expect(prefer(last())).toEqual(["code=200", TRACE]);
    await client.inviteScreenShare({ ...IDS, action: "invite", headers: { prefer: "code=403" } });
    expect(prefer(last())).toEqual(["code=403", TRACE]);
    expect(last().headers["x-conference-authorization"]).toBe(TOKEN);
    await client.inviteCamera({
      ...IDS,
      action: "disable",
      headers: new Headers({ Prefer: "x=1" }),
    });
    expect(prefer(last())).toEqual(["x=1", TRACE]);
    // A Map and pairs are sent too, not dropped for having no own keys.
    for (const headers of [
      new Map([["Prefer", "m=1"]]),
      [["Prefer", "m=1"]] as [string, string][],
    ]) {
      await client.inviteCamera({ ...IDS, action: "disable", headers });
      expect(prefer(last())).toEqual(["m=1", TRACE]);
    }
  });

  it("the token request behind a call gets the client's headers, not the call's", async () => {
    const tokens = await loopbackServer((request, res) =>
      request.headers["x-password"]
        ? json(res, 200, { data: { token: "t-issued" } })
        : json(res, 200, {}),
    );
    try {
      const client = createMeetingControlClient({
        hostPassword: "host-pass",
        baseUrl: tokens.url,
        headers: { traceparent: TRACE },
      });
      await client.inviteCamera({ ...IDS, action: "enable", headers: { Prefer: "code=200" } });
      const [token, call] = tokens.requests;
      expect([token?.headers.prefer, token?.headers.traceparent]).toEqual([undefined, TRACE]);
      expect(token?.headers["x-password"]).toBe("host-pass");
      expect([call?.headers.prefer, call?.headers["x-conference-authorization"]]).toEqual([
        "code=200",
        "t-issued",
      ]);
      await client.createConfToken({ conferenceID: "1234567", headers: { Prefer: "code=400" } });
      expect(tokens.requests.at(-1)?.headers.prefer).toBe("code=400");
    } finally {
      await tokens.close();
    }
  });
});
