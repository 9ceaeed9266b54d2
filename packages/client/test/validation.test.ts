import { describe, expect, it } from "vitest";
import { ID_LENGTHS, REGIONS } from "../src/generated/facts.js";
import {
  createMeetingControlClient,
  InvalidInputError,
  MeetingControlError,
} from "../src/index.js";

const TOKEN = "stbaf8fa2ea8-example-token";
// The spec's lengths, as the messages state them.
const CONFERENCE_LENGTHS = `${ID_LENGTHS.conferenceID.min} to ${ID_LENGTHS.conferenceID.max}`;
const IDS = { conferenceID: "986947855", participantID: "4a5rg64ag5p8pvvnam1rr6m8lqra6a61" };

/** A client whose fetch counts calls: validation must fail before any of them. */
function counted(options: Record<string, unknown> = {}) {
  const calls: Request[] = [];
  const client = createMeetingControlClient({
    token: TOKEN,
    fetch: async (request) => {
      calls.push(request);
      return new Response(null, { status: 200 });
    },
    ...options,
  });
  return { client, calls };
}

async function rejection(promise: Promise<unknown>): Promise<InvalidInputError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidInputError);
  expect(error).toBeInstanceOf(MeetingControlError);
  return error as InvalidInputError;
}

describe("input is checked before any request", () => {
  it.each([
    [
      "conferenceID",
      { ...IDS, conferenceID: "" },
      new RegExp(
        `conferenceID must be a string of ${CONFERENCE_LENGTHS} characters; got a string of length 0`,
      ),
    ],
    [
      "conferenceID",
      { ...IDS, conferenceID: "1234567890" },
      new RegExp(`conferenceID must be a string of ${CONFERENCE_LENGTHS} characters`),
    ],
    [
      "conferenceID",
      { participantID: IDS.participantID },
      /conferenceID must be .*; got undefined/,
    ],
    [
      "conferenceID",
      { ...IDS, conferenceID: 986947855 },
      /conferenceID must be .*; got 986947855$/,
    ],
    [
      "participantID",
      { ...IDS, participantID: "" },
      /participantID must be a non-empty string; got a string of length 0/,
    ],
    [
      "participantID",
      { conferenceID: IDS.conferenceID },
      /participantID must be a non-empty string; got undefined/,
    ],
    [
      "participantID",
      { ...IDS, participantID: null },
      /participantID must be a non-empty string; got null/,
    ],
  ])("%s: %j", async (field, ids, message) => {
    const { client, calls } = counted();
    const error = await rejection(
      client.inviteCamera({ ...(ids as typeof IDS), action: "enable" }),
    );
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
    expect(calls).toHaveLength(0);
  });

  it("an unknown camera action names the field and the allowed values", async () => {
    const { client, calls } = counted();
    // @ts-expect-error "on" is not a camera action
    const error = await rejection(client.inviteCamera({ ...IDS, action: "on" }));
    expect(error.field).toBe("action");
    expect(error.allowed).toEqual(["enable", "disable"]);
    expect(error.message).toBe('action must be one of "enable", "disable"; got "on"');
    expect(calls).toHaveLength(0);
  });

  it("a camera action is not a share action, and the reverse", async () => {
    const { client, calls } = counted();
    // @ts-expect-error "enable" belongs to inviteCamera
    const share = await rejection(client.inviteScreenShare({ ...IDS, action: "enable" }));
    // In the spec's order (by wire value, from POLARITY), which the client does not reorder.
    expect(share.allowed).toEqual(["cancel", "invite"]);
    // @ts-expect-error "invite" belongs to inviteScreenShare
    const camera = await rejection(client.inviteCamera({ ...IDS, action: "invite" }));
    expect(camera.allowed).toEqual(["enable", "disable"]);
    // @ts-expect-error the body values themselves are not actions either
    await rejection(client.inviteCamera({ ...IDS, action: 0 }));
    expect(calls).toHaveLength(0);
  });

  it.each([
    ["an array holding an action", ["disable"], "object"],
    ["a BigInt", 1n, "bigint"],
    [
      "a cyclic object",
      (() => {
        const cyclic: Record<string, unknown> = {};
        cyclic.self = cyclic;
        return cyclic;
      })(),
      "object",
    ],
  ])("an action that is %s is an InvalidInputError naming its type", async (_, action, type) => {
    const { client, calls } = counted();
    const error = await rejection(client.inviteCamera({ ...IDS, action: action as never }));
    expect(error).toMatchObject({ field: "action", allowed: ["enable", "disable"] });
    expect(error.message).toBe(`action must be one of "enable", "disable"; got ${type}`);
    expect(calls).toHaveLength(0);
  });

  it.each([{}, "abort", { aborted: true, addEventListener() {} }])(
    "a signal that is not an AbortSignal (%j) is an input error, for every operation",
    async (signal) => {
      const { client, calls } = counted({ token: undefined, hostPassword: "pw-example" });
      const request = { ...IDS, signal: signal as never };
      for (const call of [
        client.inviteCamera({ ...request, action: "enable" }),
        client.inviteScreenShare({ ...request, action: "invite" }),
        client.createConfToken(request),
      ]) {
        const error = await rejection(call);
        expect(error.field).toBe("signal");
        expect(error.message).toMatch(/^signal must be an AbortSignal; got (object|a string)/);
      }
      expect(calls).toHaveLength(0);
    },
  );

  it("signal: null is no signal, as in a RequestInit", async () => {
    const { client, calls } = counted();
    await client.inviteCamera({ ...IDS, action: "enable", signal: null as never });
    expect(calls).toHaveLength(1);
  });

  it("a missing request object is an input error, not a TypeError", async () => {
    const { client } = counted();
    // @ts-expect-error no argument
    await rejection(client.inviteCamera());
    // @ts-expect-error no argument
    await rejection(client.createConfToken());
  });
});

describe("options are checked when the client is created", () => {
  const create = (options: object) => () => createMeetingControlClient(options as never);
  /** The InvalidInputError creating a client with `options` throws. */
  const refused = (options: unknown) => {
    let error: unknown;
    try {
      createMeetingControlClient(options as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    return error as InvalidInputError;
  };

  it("needs a token or a host password", () => {
    expect(create({})).toThrow(InvalidInputError);
    expect(create({})).toThrow(/token must be set, or hostPassword set/);
  });

  it.each([
    ["token", { token: "" }],
    ["token", { token: "abc\r\nX-Evil: 1" }],
    ["token", { token: 42 }],
    ["hostPassword", { hostPassword: "" }],
    ["hostPassword", { hostPassword: "pässword" }],
  ])("rejects an unusable %s without echoing it", (field, options) => {
    const error = refused(options);
    expect(error.field).toBe(field);
    const value = String(Object.values(options)[0]);
    if (value.length > 2) expect(error.message).not.toContain(value);
  });

  it.each([
    ["token", { token: ` ${TOKEN}` }],
    ["hostPassword", { hostPassword: "Pass1234 " }],
  ])("a %s with a space at either end is refused, naming that rule", (field, options) => {
    const error = refused(options);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(
      new RegExp(
        `^${field} must be a non-empty string of printable ASCII characters, no space at either end; got a string of length \\d+$`,
      ),
    );
  });

  it.each([
    "https://api.meeting.huaweicloud.com/#",
    "https://api.meeting.huaweicloud.com/#section",
    "https://api.meeting.huaweicloud.com/?",
    "https://api.meeting.huaweicloud.com/?x=1",
  ])("refuses baseUrl %s: a query or fragment would swallow the path", (baseUrl) => {
    expect(create({ token: TOKEN, baseUrl })).toThrow(
      /^baseUrl must be a URL without a query or fragment \(\? or #\); got a string of length \d+$/,
    );
  });

  it.each([
    "http://api.meeting.huaweicloud.com",
    "http://10.0.0.8:4010",
    "ftp://127.0.0.1",
    "not a url",
  ])("refuses baseUrl %s", (baseUrl) => {
    expect(create({ token: TOKEN, baseUrl })).toThrow(
      /baseUrl must be https:\/\/ \(http:\/\/ only to a loopback host, or with allowInsecureHttp: true\); got (http:\/\/|ftp:\/\/|no URL)/,
    );
  });

  it.each([
    "http://127.0.0.1:4010",
    "http://localhost:4010/",
    "http://[::1]:4010",
    "https://api.meeting.huaweicloud.com",
  ])("accepts baseUrl %s", (baseUrl) => {
    expect(create({ token: TOKEN, baseUrl })).not.toThrow();
  });

  it.each([["false"], [1], ["true"]])(
    "refuses http to another host with allowInsecureHttp: %j (not true)",
    (allowInsecureHttp) => {
      expect(
        create({ token: TOKEN, baseUrl: "http://meeting.test:4010", allowInsecureHttp } as never),
      ).toThrow("baseUrl must be https://");
    },
  );

  it("allows http to another host only with allowInsecureHttp", () => {
    expect(
      create({ token: TOKEN, baseUrl: "http://meeting.test:4010", allowInsecureHttp: true }),
    ).not.toThrow();
  });

  it("refuses an option it does not know, naming it and the options, before anything is sent", async () => {
    const sent: string[] = [];
    const fetch = async (request: Request) => {
      sent.push(request.url);
      return new Response("{}");
    };
    // baseURL (axios's spelling) was ignored: the token and the call went to the service itself.
    for (const [name, value] of [
      ["baseURL", "http://127.0.0.1:4010"],
      ["timeout", 5000],
      ["retries", 0],
      ["constructor", 1],
    ] as const) {
      const error = refused({ token: TOKEN, fetch, [name]: value });
      expect(error.field).toBe("option");
      expect(error.message).toContain(`got "${name}"`);
      expect(error.allowed).toEqual(expect.arrayContaining(["baseUrl", "timeoutMs", "maxRetries"]));
    }
    expect(sent).toEqual([]);
    // Every documented option is one it knows.
    const all = {
      baseUrl: "https://api.meeting.test",
      region: "cn-north-4",
      timeoutMs: 1000,
      maxRetries: 0,
      retryDelayMs: {},
      fetch,
      allowInsecureHttp: false,
      tokenCacheSize: 10,
      headers: {},
      token: TOKEN,
      hostPassword: "host-pass-123",
    };
    expect(create(all)).not.toThrow();
    expect(refused({ ...all, extra: 1 }).allowed).toEqual(Object.keys(all));
  });

  it("refuses a retryDelayMs it cannot read, a misspelt key or an array, naming initial and max", () => {
    for (const retryDelayMs of [{ inital: 50 }, { initial: 1, Max: 5 }, ["initial"]]) {
      const error = refused({ token: TOKEN, retryDelayMs });
      expect(error.field, JSON.stringify(retryDelayMs)).toBe("retryDelayMs");
    }
    expect(refused({ token: TOKEN, retryDelayMs: { inital: 50 } })).toMatchObject({
      message: 'retryDelayMs must be one of "initial", "max"; got "inital"',
      allowed: ["initial", "max"],
    });
    expect(create({ token: TOKEN, retryDelayMs: { initial: 1, max: 5 } })).not.toThrow();
  });

  it("names the allowed regions", () => {
    expect(create({ token: TOKEN, region: "eu-west-0" })).toThrow(
      `region must be one of ${Object.keys(REGIONS)
        .map((r) => `"${r}"`)
        .join(", ")}; got "eu-west-0"`,
    );
    // A baseUrl takes precedence, but does not hide a region that does not exist.
    expect(
      create({ token: TOKEN, region: "eu-west-0", baseUrl: "https://api.meeting.test" }),
    ).toThrow(/^region must be one of/);
  });

  it.each([
    ["timeoutMs", { timeoutMs: 0 }],
    ["timeoutMs", { timeoutMs: Number.NaN }],
    ["timeoutMs", { timeoutMs: Number.POSITIVE_INFINITY }],
    ["retryDelayMs.initial", { retryDelayMs: { initial: -1 } }],
    // A cap past setTimeout's limit would fire at once: a Retry-After would then mean no wait.
    ["retryDelayMs.max", { retryDelayMs: { max: Number.POSITIVE_INFINITY } }],
    ["retryDelayMs.max", { retryDelayMs: { max: 2 ** 40 } }],
    ["retryDelayMs.max", { retryDelayMs: { max: null } }],
    ["retryDelayMs.max", { retryDelayMs: { max: "9" } }],
    ["tokenCacheSize", { tokenCacheSize: 0 }],
    ["maxRetries", { maxRetries: -1 }],
    ["maxRetries", { maxRetries: 1.5 }],
  ])("rejects %s %j", (field, options) => {
    expect(create({ token: TOKEN, ...options })).toThrow(new RegExp(`^${field} must be`));
  });

  it.each([
    ["options", null, "options must be an object; got null"],
    ["options", "t0000000", "options must be an object; got a string of length 8"],
    [
      "retryDelayMs",
      { token: TOKEN, retryDelayMs: null },
      "retryDelayMs must be an object { initial, max }; got null",
    ],
    [
      "retryDelayMs",
      { token: TOKEN, retryDelayMs: 500 },
      "retryDelayMs must be an object { initial, max }; got 500",
    ],
    ["fetch", { token: TOKEN, fetch: "x" }, "fetch must be a function; got a string of length 1"],
  ])("%s: %j is an input error, not a TypeError", (field, options, message) => {
    const error = refused(options);
    expect(error).toMatchObject({ field });
    expect(error.message).toContain(message);
  });

  it("createConfToken needs a host password from somewhere", async () => {
    const { client, calls } = counted();
    const error = await rejection(client.createConfToken({ conferenceID: IDS.conferenceID }));
    expect(error.field).toBe("hostPassword");
    expect(calls).toHaveLength(0);
  });
});

describe("lengths are counted in characters, as the spec's JSON Schema counts them", () => {
  it.each([
    ["😀😀😀😀😀😀😀", true],
    ["会议会议会议会议会", true],
    ["😀😀😀😀😀😀", false],
    ["😀😀😀😀😀😀😀😀😀😀", false],
  ])("conferenceID %s → accepted: %s", async (conferenceID, accepted) => {
    const { client, calls } = counted();
    const result = client.inviteCamera({ conferenceID, participantID: "p", action: "enable" });
    if (accepted) await expect(result).resolves.toBeDefined();
    else await expect(result).rejects.toBeInstanceOf(InvalidInputError);
    expect(calls).toHaveLength(accepted ? 1 : 0);
  });
});

it("a lone surrogate in an ID is an input error, not a URIError", async () => {
  const { client, calls } = counted();
  await rejection(
    client.inviteCamera({ conferenceID: "98694785\uD800", participantID: "p", action: "enable" }),
  );
  await rejection(
    client.inviteCamera({
      conferenceID: "986947855",
      participantID: "\uDC00abc",
      action: "enable",
    }),
  );
  expect(calls).toHaveLength(0);
});

it("a refused baseUrl shows its origin only, never its path (a query is refused unshown)", () => {
  let error: unknown;
  try {
    createMeetingControlClient({
      token: TOKEN,
      baseUrl: "http://10.0.0.8:4010/key/k3y",
    });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(InvalidInputError);
  expect((error as Error).message).toMatch(/; got http:\/\/10\.0\.0\.8:4010$/);
  expect((error as Error).message).not.toMatch(/s3cret|k3y|user/);
});

describe("a baseUrl with user info is refused, and not echoed", () => {
  // Before, it was accepted: every call then failed with the password in a NetworkError's message.
  it.each([
    "https://alice:s3cret@api.meeting.huaweicloud.com",
    "https://s3cret@api.meeting.huaweicloud.com",
    "https://:s3cret@api.meeting.huaweicloud.com/v1",
    "http://alice:s3cret@127.0.0.1:4010",
  ])("%s", (baseUrl) => {
    let error: unknown;
    const calls: unknown[] = [];
    try {
      createMeetingControlClient({
        token: TOKEN,
        baseUrl,
        fetch: async (r) => {
          calls.push(r);
          return new Response();
        },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ field: "baseUrl" });
    expect((error as Error).message).toMatch(
      /^baseUrl must be a URL without user info \(user:password@\); got a string of length \d+$/,
    );
    expect(JSON.stringify(error)).not.toMatch(/s3cret|alice/);
    expect(calls).toHaveLength(0);
  });
});

describe("extra headers", () => {
  it.each([
    ["X-Conference-Authorization", { "X-Conference-Authorization": "Basic Zm9v" }],
    ["x-password", { "x-password": "other" }],
    ["a Headers with X-Password", new Headers({ "X-Password": "other" })],
    ["a name HTTP does not allow", { "Bad Name": "1" }],
    ["a value with a line break", { Prefer: "code=403\r\nX-Evil: 1" }],
    ["a value that is not a string", { Prefer: 403 }],
    // Those fetch sets itself: Node's refuses some outright, after every retry.
    ["Transfer-Encoding", { "Transfer-Encoding": "chunked" }],
    ["Content-Length", { "content-length": "99" }],
    ["Expect", { Expect: "100-continue" }],
    ["Upgrade", { Upgrade: "h2c" }],
    ["Keep-Alive", { "Keep-Alive": "timeout=5" }],
    ["Connection", { Connection: "close" }],
    ["Host", { Host: "api.example.com" }],
  ])("refuse %s, client-wide and per call, before any request", async (_, headers) => {
    const calls: unknown[] = [];
    const fetch = async (request: Request) => {
      calls.push(request);
      return new Response("{}");
    };
    expect(() => createMeetingControlClient({ token: TOKEN, headers: headers as never })).toThrow(
      InvalidInputError,
    );
    const client = createMeetingControlClient({ token: TOKEN, fetch });
    for (const call of [
      () => client.inviteCamera({ ...IDS, action: "enable", headers: headers as never }),
      () => client.inviteScreenShare({ ...IDS, action: "invite", headers: headers as never }),
      () =>
        client.createConfToken({
          conferenceID: IDS.conferenceID,
          hostPassword: "pw",
          headers: headers as never,
        }),
    ]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as Error).message).toMatch(
        /^headers\[".+"\] must be a header name \(not X-Conference-Authorization or X-Password, which the client sets, nor host, connection, keep-alive, transfer-encoding, te, trailer, upgrade, expect or content-length, which fetch sets\) with a string of printable ASCII; got /,
      );
      expect((error as Error).message).not.toMatch(/Zm9v|other|Evil/);
    }
    expect(calls).toHaveLength(0);
  });

  it.each([
    ["an array of strings", ["X-Trace: 1"]],
    ["a Set of strings", new Set(["ab"])],
    ["an array of numbers", [1]],
    ["an array holding null", [null]],
    ["a Map with a symbol key", new Map([[Symbol("s"), "v"]])],
  ])("refuse %s (no pairs of strings) as an input error, not a TypeError", async (_, headers) => {
    for (const make of [
      (): unknown => createMeetingControlClient({ token: TOKEN, headers: headers as never }),
      () =>
        createMeetingControlClient({ token: TOKEN }).inviteCamera({
          ...IDS,
          action: "enable",
          headers: headers as never,
        }),
    ]) {
      const error = await Promise.resolve()
        .then(make)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).field).toMatch(/^headers/);
    }
  });

  it("refuse what is not an object", () => {
    expect(() =>
      createMeetingControlClient({ token: TOKEN, headers: "Prefer: x" as never }),
    ).toThrow(/^headers must be an object of header names to strings; got a string of length 9$/);
  });
});
