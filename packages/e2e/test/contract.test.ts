import {
  ClientRequestError,
  createMeetingControlClient,
  type MeetingControlClient,
  ServerResponseError,
} from "@meeting-control/client";
import { scenarios } from "@meeting-control/mock";
import { loadSpec } from "@meeting-control/spec";
import { sourcePageRequests } from "@meeting-control/testkit";
import { describe, expect, inject, it } from "vitest";

const IDS = { conferenceID: "986947855", participantID: "4a5rg64ag5p8pvvnam1rr6m8lqra6a61" };
// Every answer carries a fresh request id in the service's form (the spec's example id stays in
// the docs): ids seen in this file are collected, and none may come twice.
const REQUEST_ID = /^[0-9a-f]{32}$/;
const seenIds = new Set<string>();
/** A request id of the service's form that this file has not seen before. */
function freshId(id: string | null | undefined) {
  expect(id).toMatch(REQUEST_ID);
  expect(seenIds.has(id ?? ""), `X-Request-Id ${id} was seen before`).toBe(false);
  seenIds.add(id ?? "");
  return true;
}
const VIDEO = "/v1/mmc/control/conferences/participants/video";
const SHARE = "/v1/mmc/control/conferences/participants/share/invite";

// The package's one mock (test/global-setup.ts).
const mock = { url: inject("mockUrl") };

/** The real client, with a `Prefer` header added to every request to pick the mock's answer. */
function client(prefer?: string, options: object = {}): MeetingControlClient {
  return createMeetingControlClient({
    token: "stbaf8fa2ea8-example-token",
    hostPassword: "host-pass-123",
    baseUrl: mock.url,
    maxRetries: 0,
    timeoutMs: 120_000, // a loaded machine is slow, not wrong: the test timeout stops a hang
    fetch: async (request) => {
      if (prefer) request.headers.set("Prefer", prefer);
      return fetch(request);
    },
    ...options,
  });
}

const CALLS = {
  InviteOperateVideo: (c: MeetingControlClient) => c.inviteCamera({ ...IDS, action: "enable" }),
  InviteShare: (c: MeetingControlClient) => c.inviteScreenShare({ ...IDS, action: "invite" }),
  CreateConfToken: (c: MeetingControlClient) =>
    c.createConfToken({ conferenceID: IDS.conferenceID }),
} as const;

describe("the real client against the mock: every operation × every documented answer", () => {
  const all = scenarios();

  it("covers every operation and status code of the spec", () => {
    const seen = new Set(all.map((s) => `${s.operationId} ${s.status}`));
    const spec = loadSpec();
    const documented = Object.values(spec.paths).flatMap((item) =>
      Object.values(item as Record<string, { operationId?: string; responses?: object }>).flatMap(
        (operation) =>
          operation?.operationId
            ? Object.keys(operation.responses ?? {}).map(
                (status) => `${operation.operationId} ${status}`,
              )
            : [],
      ),
    );
    expect(documented.length).toBeGreaterThanOrEqual(3);
    expect([...seen].sort()).toEqual(documented.sort());
  });

  it.each(all.filter((s) => s.status === 200).map((s) => [s.operationId, s] as const))(
    "%s 200 resolves with the request id",
    async (operationId, s) => {
      const result = await CALLS[operationId](client(`code=200, example=${s.example}`));
      freshId(result.requestId);
      if (operationId === "CreateConfToken") {
        // The fields of the spec's example, as the client hands them on.
        const { data, ...around } = s.body as { data: Record<string, unknown> };
        const { token, role } = data;
        const { gloablPublicIP } = around as Record<string, unknown>;
        expect([token, gloablPublicIP]).toEqual([expect.any(String), expect.any(String)]);
        expect(result).toMatchObject({ token, role, gloablPublicIP });
        expect((result as unknown as { expiresAt: Date }).expiresAt).toBeInstanceOf(Date);
      }
    },
  );

  const errors = all.filter((s) => s.status >= 400);
  it.each(errors.map((s) => [s.operationId, s.status, s.example, s] as const))(
    "%s %i %s rejects with the right error",
    async (operationId, status, _, s) => {
      // MMC.111072049 asks for a retry: with retries on, the client tries again (and gets it again).
      const error = await CALLS[operationId](client(`code=${status}, example=${s.example}`)).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(status < 500 ? ClientRequestError : ServerResponseError);
      const body = s.body as { error_code: string; error_msg: string };
      expect(error).toMatchObject({
        status,
        code: body.error_code,
        serviceMessage: body.error_msg,
        requestId: expect.stringMatching(REQUEST_ID),
        operation: operationId,
      });
      freshId((error as { requestId?: string }).requestId);
    },
  );

  it("the client retries RESPONSE_TIME_OUT and gives up after maxRetries", async () => {
    let attempts = 0;
    const c = createMeetingControlClient({
      token: "t0000000",
      baseUrl: mock.url,
      maxRetries: 2,
      retryDelayMs: { initial: 0, max: 0 }, // no backoff to sleep through: the retries are the point
      fetch: (request) => {
        attempts++;
        request.headers.set("Prefer", "code=400, example=responseTimeOut");
        return fetch(request);
      },
    });
    await expect(c.inviteCamera({ ...IDS, action: "disable" })).rejects.toMatchObject({
      code: "MMC.111072049",
    });
    expect(attempts).toBe(3);
  });

  it("the client's own requests, all four actions, are valid for the mock", async () => {
    const c = client();
    for (const action of ["enable", "disable"] as const) await c.inviteCamera({ ...IDS, action });
    for (const action of ["invite", "cancel"] as const)
      await c.inviteScreenShare({ ...IDS, action });
    await c.createConfToken({ conferenceID: IDS.conferenceID });
  });
});

describe("answers generated from the schemas (Prefer: dynamic=true)", () => {
  it("CreateConfToken's are tokens the client takes: visible ASCII, as the spec's pattern says", async () => {
    const dynamic = client("dynamic=true");
    for (let i = 0; i < 30; i++) {
      const { token } = await dynamic.createConfToken({ conferenceID: IDS.conferenceID });
      expect(token).toMatch(/^[!-~]+$/);
    }
  });
});

describe("the source pages' requests, replayed verbatim", () => {
  const requests = sourcePageRequests();

  it.each(requests.map((r) => [r.target, r] as const))("%s → 200", async (_, r) => {
    expect(r.headerLines.length).toBe(2);
    const response = await fetch(mock.url + r.target, {
      method: r.method,
      headers: r.headerLines,
      body: r.body,
    });
    expect(response.status).toBe(200);
    freshId(response.headers.get("x-request-id"));
  });

  it.each(requests.map((r) => [r.target, r] as const))(
    "%s without the token → 401",
    async (_, r) => {
      const headers = r.headerLines.filter(
        ([name]) => name.toLowerCase() !== "x-conference-authorization",
      );
      const response = await fetch(mock.url + r.target, {
        method: r.method,
        headers,
        body: r.body,
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        error_code: expect.any(String),
        error_msg: expect.any(String),
      });
    },
  );
});

describe("bad requests get a documented 4xx with a RestFailedRsp body, never a 5xx or a hang", () => {
  const query = new URLSearchParams(IDS).toString();
  const AUTH = { "x-conference-authorization": "Basic Y25yYjQy" };
  const JSON_AUTH = { "content-type": "application/json", ...AUTH };

  async function expect4xx(path: string, init: RequestInit, expected: number[] = [400]) {
    const response = await fetch(mock.url + path, { method: "PUT", ...init });
    const text = await response.text();
    expect(expected, `${response.status} ${text}`).toContain(response.status);
    expect(JSON.parse(text)).toEqual({
      error_code: expect.any(String),
      error_msg: expect.any(String),
    });
    freshId(response.headers.get("x-request-id"));
  }

  const badValues: [string, string][] = [
    ["2", "2"],
    ["-1", "-1"],
    ['"1"', '"1"'],
    ["1.5", "1.5"],
    ["null", "null"],
  ];
  for (const [path, field] of [
    [VIDEO, "status"],
    [SHARE, "share"],
  ] as const) {
    it.each(badValues)(`${field} = %s → 400`, async (_, raw) => {
      await expect4xx(`${path}?${query}`, { headers: JSON_AUTH, body: `{"${field}": ${raw}}` });
    });
    it(`${field} missing → 400`, async () => {
      await expect4xx(`${path}?${query}`, { headers: JSON_AUTH, body: "{}" });
    });
    it(`an extra body property next to ${field} → 400`, async () => {
      await expect4xx(`${path}?${query}`, {
        headers: JSON_AUTH,
        body: `{"${field}": 1, "extra": true}`,
      });
    });
    it(`a non-JSON body → 400 (${field})`, async () => {
      await expect4xx(`${path}?${query}`, { headers: JSON_AUTH, body: `${field}=1` });
    });
    it(`a wrong content type → 400 (${field})`, async () => {
      await expect4xx(`${path}?${query}`, {
        headers: { ...AUTH, "content-type": "text/plain" },
        body: `{"${field}": 1}`,
      });
    });
    it(`no token → 401 (${field})`, async () => {
      await expect4xx(
        `${path}?${query}`,
        { headers: { "content-type": "application/json" }, body: `{"${field}": 1}` },
        [401],
      );
    });
    // The service's answer to a token it never gave, as the spec documents it for this operation.
    const illegal = scenarios().find(
      (s) => s.path === path && s.status === 401 && s.example === "illegalRequest",
    );
    it.each([
      ["Basic", "Basic"],
      ["basic (lower case, trailing spaces)", "basic   "],
      ["Basic !!!not-base64", "Basic !!!not-base64"],
      ["Basic Y25y YjQy (two words)", "Basic Y25y YjQy"],
    ])(`a Basic value with no token in it, %s → 401 illegalRequest (${field})`, async (_, auth) => {
      const response = await fetch(`${mock.url}${path}?${query}`, {
        method: "PUT",
        headers: { "content-type": "application/json", "x-conference-authorization": auth },
        body: `{"${field}": 1}`,
      });
      expect(illegal).toBeDefined();
      expect([response.status, await response.json()]).toEqual([illegal?.status, illegal?.body]);
      freshId(response.headers.get("x-request-id"));
    });
    it.each([
      ["a raw token", "stbaf8fa2ea8-example-token"],
      ["Basic base64(token)", "Basic Y25yYjQy"],
      ["Basic base64 unpadded", "Basic Y25yYjQyNg"],
    ])(`%s → 200 (${field})`, async (_, auth) => {
      const response = await fetch(`${mock.url}${path}?${query}`, {
        method: "PUT",
        headers: { "content-type": "application/json", "x-conference-authorization": auth },
        body: `{"${field}": 1}`,
      });
      expect(response.status).toBe(200);
      freshId(response.headers.get("x-request-id"));
    });
    it.each([
      ["conferenceID missing", { participantID: IDS.participantID }],
      ["conferenceID empty", { conferenceID: "", participantID: IDS.participantID }],
      ["participantID missing", { conferenceID: IDS.conferenceID }],
      ["participantID empty", { conferenceID: IDS.conferenceID, participantID: "" }],
    ])(`%s → 400 (${field})`, async (_, params) => {
      await expect4xx(`${path}?${new URLSearchParams(params)}`, {
        headers: JSON_AUTH,
        body: `{"${field}": 1}`,
      });
    });
  }
});
