import { readdirSync, readFileSync } from "node:fs";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  type ApiError,
  createMeetingControlClient,
  InvalidInputError,
  MeetingControlError,
  redactor,
} from "../src/index.js";
import { json, loopbackServer } from "./server.js";

// Distinctive values, so a leak anywhere is found by a plain substring search.
const TOKEN = "SECRET-TOKEN-7f3a9c";
const PASSWORD = "SECRET-PASSWORD-51be2d";
const IDS = { conferenceID: "986947855", participantID: "4a5rg64ag5p8pvvnam1rr6m8lqra6a61" };

function expectNoSecret(error: unknown) {
  expect(error).toBeInstanceOf(MeetingControlError);
  const e = error as Error;
  const views = [
    e.message,
    e.stack ?? "",
    JSON.stringify(e),
    inspect(e, { depth: 10, showHidden: true }),
    String(e),
  ];
  for (const view of views) {
    expect(view).not.toContain(TOKEN);
    expect(view).not.toContain(PASSWORD);
    expect(view).not.toContain(Buffer.from(TOKEN).toString("base64"));
  }
}

/** What creating a client with `options` throws. */
function creationError(options: unknown): unknown {
  try {
    createMeetingControlClient(options as never);
  } catch (e) {
    return e;
  }
}

const reject = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail("expected a rejection"),
    (e: unknown) => e,
  );

describe("secrets never appear in errors", () => {
  it.each([
    [401, { error_code: "USG.000000004", error_msg: "Illegal request" }],
    [500, { error_code: "MMC.000000002", error_msg: "Internal error" }],
  ])("an API error (%i)", async (status, body) => {
    const server = await loopbackServer((_, res) => json(res, status, body));
    try {
      for (const token of [TOKEN, `Basic ${Buffer.from(TOKEN).toString("base64")}`]) {
        const client = createMeetingControlClient({ token, baseUrl: server.url, maxRetries: 0 });
        expectNoSecret(await reject(client.inviteCamera({ ...IDS, action: "enable" })));
      }
    } finally {
      await server.close();
    }
  });

  it("a network error and a timeout", async () => {
    const silent = await loopbackServer(() => {});
    const closed = await loopbackServer(() => {});
    await closed.close();
    try {
      for (const [baseUrl, timeoutMs] of [
        [silent.url, 50],
        [closed.url, 1000],
      ] as const) {
        const client = createMeetingControlClient({
          token: TOKEN,
          baseUrl,
          timeoutMs,
          maxRetries: 0,
        });
        expectNoSecret(await reject(client.inviteScreenShare({ ...IDS, action: "invite" })));
      }
    } finally {
      await silent.close();
    }
  });

  it("a refused host password and an unusable token response", async () => {
    const server = await loopbackServer((request, res) =>
      request.url.searchParams.get("conferenceID") === "1111111"
        ? json(res, 400, {
            error_code: "MMC.111072065",
            error_msg: "CONF_NOT_FOUND_OR_AUTH_FAILED",
          })
        : json(res, 200, { data: {} }),
    );
    try {
      const client = createMeetingControlClient({
        hostPassword: PASSWORD,
        baseUrl: server.url,
        maxRetries: 0,
      });
      expectNoSecret(await reject(client.createConfToken({ conferenceID: "1111111" })));
      expectNoSecret(
        await reject(
          client.inviteCamera({ conferenceID: "2222222", participantID: "p", action: "disable" }),
        ),
      );
    } finally {
      await server.close();
    }
  });

  describe("even when the server echoes them", () => {
    const basic = `Basic ${Buffer.from(TOKEN).toString("base64")}`;
    // Echoes every credential header it got, raw and percent-encoded, wherever an error reads.
    const echo = (status: number) =>
      loopbackServer((request, res) => {
        const sent = [request.headers["x-conference-authorization"], request.headers["x-password"]]
          .filter(Boolean)
          .join(" ");
        res.writeHead(status, {
          "content-type": "application/json",
          "x-request-id": `id-${sent.replace(/\s/g, "_")}`,
          "www-authenticate": `Basic realm="meeting", rejected="${sent}"`,
          "x-echo": encodeURIComponent(sent),
        });
        res.end(
          JSON.stringify({
            error_code: `MMC.${sent}`,
            error_msg: `rejected ${sent} (${encodeURIComponent(sent)})`,
          }),
        );
      });

    it.each([
      [401, TOKEN],
      [503, TOKEN],
      [403, basic],
    ])(
      "HTTP %i, token %s: in the code, the service message and the request id",
      async (status, token) => {
        const server = await echo(status);
        try {
          const client = createMeetingControlClient({ token, baseUrl: server.url, maxRetries: 0 });
          const error = await reject(client.inviteCamera({ ...IDS, action: "enable" }));
          expectNoSecret(error);
          expect(error).toMatchObject({
            code: expect.stringContaining("***"),
            serviceMessage: expect.stringContaining("***"),
            requestId: expect.stringContaining("***"),
            headers: expect.objectContaining({
              "www-authenticate": expect.stringContaining("***"),
              "x-echo": "***",
            }),
          });
          const kept = Object.entries((error as ApiError).headers)
            .flat()
            .join("\n");
          expect(kept).not.toContain(TOKEN);
          expect(kept).not.toContain(Buffer.from(TOKEN).toString("base64"));
        } finally {
          await server.close();
        }
      },
    );

    it("the host password on CreateConfToken, and the token it got on the call after", async () => {
      let issued = false;
      const server = await loopbackServer((request, res) => {
        if (!issued && request.headers["x-password"]) {
          issued = true;
          return json(res, 200, { data: { token: TOKEN } });
        }
        const sent = String(
          request.headers["x-password"] ?? request.headers["x-conference-authorization"],
        );
        json(res, 400, { error_code: "MMC.111072050", error_msg: sent }, { "x-request-id": sent });
      });
      try {
        const client = createMeetingControlClient({
          hostPassword: PASSWORD,
          baseUrl: server.url,
          maxRetries: 0,
        });
        // The first call gets TOKEN (issued by the server), which the server then echoes.
        expectNoSecret(await reject(client.inviteCamera({ ...IDS, action: "enable" })));
        expectNoSecret(await reject(client.createConfToken({ conferenceID: "1111111" })));
      } finally {
        await server.close();
      }
    });

    it("a token response without a token, whose request id echoes the password", async () => {
      const server = await loopbackServer((request, res) =>
        json(res, 200, {}, { "x-request-id": String(request.headers["x-password"]) }),
      );
      try {
        const client = createMeetingControlClient({ hostPassword: PASSWORD, baseUrl: server.url });
        const error = await reject(client.createConfToken({ conferenceID: IDS.conferenceID }));
        expect(error).toMatchObject({ name: "InvalidResponseError", requestId: "***" });
        expectNoSecret(error);
      } finally {
        await server.close();
      }
    });

    /** What `inviteCamera` throws when a custom fetch throws `thrown(the token it was sent)`. */
    const thrownBy = (thrown: (sent: string | null) => Error) =>
      reject(
        createMeetingControlClient({
          token: TOKEN,
          baseUrl: "https://api.meeting.test",
          maxRetries: 0,
          fetch: async (request) => {
            throw thrown(request.headers.get("x-conference-authorization"));
          },
        }).inviteCamera({ ...IDS, action: "enable" }),
      );

    it("a network error whose message and cause carry the token (a custom fetch, a proxy)", async () => {
      const error = await thrownBy(
        (sent) =>
          new TypeError(`proxy refused ${sent}`, {
            cause: Object.assign(new Error(`CONNECT with ${sent} failed`), { code: `E_${sent}` }),
          }),
      );
      expect(error).toMatchObject({ name: "NetworkError" });
      expect((error as Error).message).toBe(
        "InviteOperateVideo failed: proxy refused *** (CONNECT with *** failed)",
      );
      expect((error as Error).cause).toBeInstanceOf(TypeError);
      expect((error as Error).cause).toMatchObject({
        message: "proxy refused ***",
        cause: { message: "CONNECT with *** failed", code: "E_***" },
      });
      expectNoSecret(error);
    });

    it("a network error whose cause is an AggregateError, one error per address of the host", async () => {
      const error = await thrownBy((sent) => {
        const refused = (address: string) =>
          Object.assign(new Error(`connect ECONNREFUSED ${address}:443 via ${sent}`), {
            code: "ECONNREFUSED",
            errno: -111,
            syscall: "connect",
            address,
            port: 443,
          });
        return new TypeError("fetch failed", {
          cause: Object.assign(new AggregateError([refused("::1"), refused("10.0.0.1")]), {
            code: "ECONNREFUSED",
          }),
        });
      });
      // An AggregateError has no message of its own: its code is the reason shown.
      expect((error as Error).message).toBe(
        "InviteOperateVideo failed: fetch failed (ECONNREFUSED)",
      );
      const aggregate = ((error as Error).cause as Error).cause;
      expect(aggregate).toMatchObject({
        code: "ECONNREFUSED",
        errors: ["::1", "10.0.0.1"].map((address) => ({
          message: `connect ECONNREFUSED ${address}:443 via ***`,
          code: "ECONNREFUSED",
          errno: -111,
          syscall: "connect",
          address,
          port: 443,
        })),
      });
      expectNoSecret(error);
    });

    it("a network error that carries the request in other properties (axios's config)", async () => {
      const client = createMeetingControlClient({
        hostPassword: PASSWORD,
        baseUrl: "https://api.meeting.test",
        maxRetries: 0,
        fetch: async (request) => {
          const headers = Object.fromEntries(request.headers);
          throw Object.assign(new Error("Network Error", { cause: { headers } }), {
            code: "ERR_NETWORK",
            config: { headers, url: request.url },
            request: { headers },
            toJSON: () => ({ headers }),
          });
        },
      });
      const error = await reject(client.createConfToken({ conferenceID: IDS.conferenceID }));
      expect(error).toMatchObject({ name: "NetworkError" });
      expect((error as Error).message).toBe("CreateConfToken failed: Network Error");
      const cause = (error as Error).cause as Error;
      expect(cause).toBeInstanceOf(Error);
      expect(Object.keys(cause).sort()).toEqual(["code", "name"]);
      expect(cause).toMatchObject({ message: "Network Error", code: "ERR_NETWORK" });
      expectNoSecret(error);
    });
  });

  /** The error a camera call with `token` gets from a server that answers 401 so. */
  async function refusedWith(token: string, body: object, headers: Record<string, string>) {
    const server = await loopbackServer((_, res) => json(res, 401, body, headers));
    try {
      const client = createMeetingControlClient({ token, baseUrl: server.url, maxRetries: 0 });
      return await reject(client.inviteCamera({ ...IDS, action: "enable" }));
    } finally {
      await server.close();
    }
  }

  it("a one-letter token: the client's own words in the message whole, every one the server sent hidden", async () => {
    const error = await refusedWith(
      "t",
      { error_code: "USG.000000004", error_msg: 'token "t" is not valid' },
      { "x-echo": "t" },
    );
    expect(error).toMatchObject({ name: "ClientRequestError", status: 401 });
    const { message, serviceMessage, headers } = error as ApiError;
    expect(message).toMatch(/^InviteOperateVideo failed: HTTP 401 USG\.000000004 /);
    // Inside the server's words too: a rule for where it "stands alone" missed escapes beside it.
    expect(serviceMessage).not.toMatch(/t/i);
    expect(message).toContain(`USG.000000004 ${serviceMessage}`);
    expect(headers["x-echo"]).toBe("***");
  });

  it("a one-letter token in the request id header's name (x): the request id is still the server's", async () => {
    const error = await refusedWith(
      "x",
      { error_code: "USG.000000004", error_msg: "Illegal request" },
      { "x-request-id": "f78b007ec2dabf1498620131c7bc19e0" },
    );
    expect(error).toMatchObject({ requestId: "f78b007ec2dabf1498620131c7bc19e0" });
    expect((error as Error).message).toContain("(request id f78b007ec2dabf1498620131c7bc19e0)");
  });

  it.each([
    ["abc", "q=%22abc%22", "q=%22***%22"],
    ["12", "pin%3D12", "pin%3D***"],
    ["abc", "\\nabc", "\\n***"],
    ["abc", "token_abc", "token_***"],
    ["Basic YWI=", "tok=ab_", "tok=***_"],
  ])(
    "a short secret %s is hidden beside an escape or an underscore too: %s",
    (secret, text, shown) => {
      expect(redactor([secret])(text)).toBe(shown);
    },
  );

  it("a short token echoed after a percent escape, by the server: not in the error", async () => {
    const error = await refusedWith(
      "abc",
      { error_code: "USG.000000004", error_msg: "Illegal request: token%3Dabc" },
      { "x-echo": "token%3Dabc" },
    );
    expect(JSON.stringify(error) + (error as Error).message + inspect(error)).not.toMatch(
      /token%3Dabc/i,
    );
    expect(error).toMatchObject({ serviceMessage: "Illegal request: token%3D***" });
  });

  describe("in what a call that succeeded returns", () => {
    // Answers 200, with every credential it got echoed as the request id; TOKEN is what it issues.
    const echoingId = () =>
      loopbackServer((request, res) => {
        const sent = String(
          request.headers["x-password"] ?? request.headers["x-conference-authorization"],
        );
        const body = request.headers["x-password"] ? { data: { token: TOKEN } } : {};
        json(res, 200, body, { "x-request-id": `id-${sent}` });
      });

    it("a caller's token, a token the client got, and the password, echoed as the request id", async () => {
      const server = await echoingId();
      try {
        for (const options of [{ token: TOKEN }, { hostPassword: PASSWORD }]) {
          const client = createMeetingControlClient({ ...options, baseUrl: server.url });
          expect(await client.inviteCamera({ ...IDS, action: "enable" })).toEqual({
            requestId: "id-***",
          });
        }
        const client = createMeetingControlClient({ hostPassword: PASSWORD, baseUrl: server.url });
        const got = await client.createConfToken({ conferenceID: IDS.conferenceID });
        expect(got.requestId).toBe("id-***");
      } finally {
        await server.close();
      }
    });

    it("a secret echoed lowercased, form-encoded, encoded as RFC 3986 does, or in a header's name", async () => {
      // `!` is form-encoded (%21) but not by encodeURIComponent; both are a header name's characters.
      // `*` is neither, but RFC 3986's encoders (Go's, PHP's, Python's, .NET's) encode it: %2A.
      const mixed = "Tok3n-Mixed!Case*x";
      const server = await loopbackServer((request, res) => {
        const sent = String(request.headers["x-password"]);
        res.writeHead(400, {
          "content-type": "application/json",
          [`x-echo-${sent}`]: "1",
          "x-lower": sent.toLowerCase(),
          "x-rfc3986": encodeURIComponent(sent).replace(
            /[!'()*]/g,
            (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
          ),
          location: `https://${sent}.example/`,
        });
        res.end(
          JSON.stringify({
            error_code: "MMC.111072065",
            error_msg: `rejected ${new URLSearchParams({ p: sent })}`,
          }),
        );
      });
      try {
        const client = createMeetingControlClient({
          hostPassword: mixed,
          baseUrl: server.url,
          maxRetries: 0,
        });
        const error = await reject(client.createConfToken({ conferenceID: IDS.conferenceID }));
        const views = [JSON.stringify(error), inspect(error, { depth: 10 })].join("\n");
        expect(views).toContain("rejected p=***");
        for (const leak of [
          mixed,
          mixed.toLowerCase(),
          new URLSearchParams({ p: mixed }).toString(),
        ])
          expect(views).not.toContain(leak);
        expect(views).not.toMatch(/tok3n/i);
      } finally {
        await server.close();
      }
    });
  });

  it('a secret with `"` or `\\` in it, echoed inside JSON text (escaped as `\\"` and `\\\\`)', async () => {
    // A gateway that quotes the request's headers, as JSON, in its error message.
    const quoted = 'pa"ss\\word-1';
    const server = await loopbackServer((request, res) => {
      res.writeHead(403, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          error_code: "MMC.111072065",
          error_msg: `rejected ${JSON.stringify(request.headers)}`,
        }),
      );
    });
    try {
      const client = createMeetingControlClient({
        hostPassword: quoted,
        baseUrl: server.url,
        maxRetries: 0,
      });
      const error = await reject(client.createConfToken({ conferenceID: IDS.conferenceID }));
      expect(error).toMatchObject({
        serviceMessage: expect.stringContaining('"x-password":"***"'),
      });
      const views = [JSON.stringify(error), inspect(error, { depth: 10 })].join("\n");
      // As given, or with any escapes between its parts.
      expect(views).not.toMatch(/pa\W*ss\W*word-1/);
    } finally {
      await server.close();
    }
  });

  it("a secret too long to make a pattern of: the error is still the server's, every string it gave hidden", async () => {
    // 21,000 characters, spaces and `*` in it: each becomes a choice of forms in the pattern.
    const long = "a b*".repeat(5250).slice(0, -1);
    const client = createMeetingControlClient({
      token: long,
      baseUrl: "https://api.meeting.huaweicloud.com",
      maxRetries: 0,
      fetch: async () =>
        new Response(JSON.stringify({ error_code: "MMC.111070111", error_msg: `bad ${long}` }), {
          status: 401,
          headers: { "content-type": "application/json", "x-request-id": long },
        }),
    });
    const error = await reject(client.inviteCamera({ ...IDS, action: "enable" }));
    expect(error).toBeInstanceOf(MeetingControlError);
    expect(error).toMatchObject({ status: 401, code: "***" });
    const views = [JSON.stringify(error), inspect(error, { depth: 10 })].join("\n");
    expect(views).not.toContain("a b*a b");
  });

  it.each([
    ["hostPassword", { hostPassword: 31415926 }],
    ["token", { token: 27182818 }],
    ['headers["X-Password"]', { token: TOKEN, headers: { "X-Password": 31415926 } }],
  ])("a %s given as a number is described by its type, not shown", (field, options) => {
    const error = creationError(options);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ field });
    const e = error as Error;
    expect(e.message).toMatch(/; got number$/);
    for (const view of [e.message, e.stack ?? "", JSON.stringify(e), inspect(e)])
      expect(view).not.toMatch(/31415926|27182818/);
  });

  it("a number a hostPassword or token function returns is described by its type, not shown", async () => {
    const sources: object[] = [{ hostPassword: async () => 31415926 }, { token: () => 27182818 }];
    for (const options of sources) {
      const sent: unknown[] = [];
      const client = createMeetingControlClient({
        ...options,
        baseUrl: "https://api.meeting.test",
        fetch: async (input: Request) => {
          sent.push(input);
          return new Response("{}");
        },
      } as never);
      const error = (await reject(client.inviteCamera({ ...IDS, action: "enable" }))) as Error;
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.message).toMatch(/; got number$/);
      expect(JSON.stringify(error) + error.stack).not.toMatch(/31415926|27182818/);
      expect(sent).toEqual([]);
    }
  });

  it.each([
    ["a token with a line break", { token: `${TOKEN}\r\n` }],
    ["a password with a non-ASCII letter", { hostPassword: `${PASSWORD}ü` }],
    ["a token with a trailing space", { token: `${TOKEN} ` }],
  ])("an unusable secret: %s", (_, options) => {
    const error = creationError(options);
    expectNoSecret(error);
  });

  it.each([
    ["token", { token: () => `${TOKEN}\n` }],
    ["hostPassword", { hostPassword: async () => `${PASSWORD}ü` }],
  ])(
    "a %s function that returns something unusable: refused by name, nothing sent",
    async (field, options) => {
      const sent: unknown[] = [];
      const client = createMeetingControlClient({
        ...options,
        baseUrl: "https://api.meeting.test",
        fetch: async (input) => {
          sent.push(input);
          return new Response("{}");
        },
      });
      const error = await reject(client.inviteCamera({ ...IDS, action: "enable" }));
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error).toMatchObject({ field });
      expect((error as Error).message).toContain(
        "a non-empty string of printable ASCII characters",
      );
      expect(sent).toEqual([]);
      expectNoSecret(error);
    },
  );

  it("the client object shows no secret when inspected or serialised", () => {
    const client = createMeetingControlClient({ token: TOKEN, hostPassword: PASSWORD });
    for (const view of [inspect(client, { depth: 10, showHidden: true }), JSON.stringify(client)]) {
      expect(view).not.toContain(TOKEN);
      expect(view).not.toContain(PASSWORD);
    }
  });

  it("the client logs nothing: no console call in its source", () => {
    const dir = new URL("../src/", import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith(".ts"));
    expect(files.length).toBeGreaterThan(3);
    for (const file of files)
      expect(readFileSync(new URL(file, dir), "utf8")).not.toMatch(/\bconsole\./);
  });
});

describe("secrets echoed in the forms a review found kept", () => {
  const B64 = Buffer.from(TOKEN).toString("base64"); // "U0VDUkVULVRPS0VOLTdmM2E5Yw=="
  const escaped = (s: string) =>
    JSON.stringify(s)
      .slice(1, -1)
      .replace(/[-=&<>]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  it.each([
    [
      "every byte percent-encoded, letters and digits too",
      (t: string) => [...t].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join(""),
    ],
    ["as JSON with \\u escapes (Gson's and Go's defaults)", escaped],
    ["in base64 without its padding", () => B64.replace(/=+$/, "")],
    ["as the base64 of the header it came in", (t: string) => Buffer.from(t).toString("base64")],
  ])("the token %s", async (_, form) => {
    const server = await loopbackServer((request, res) => {
      const sent = String(request.headers["x-conference-authorization"]);
      res.writeHead(403, { "content-type": "application/json", "x-request-id": form(sent) });
      res.end(JSON.stringify({ error_code: "USG.000000004", error_msg: `bad ${form(sent)}` }));
    });
    try {
      for (const token of [TOKEN, `Basic ${B64}`]) {
        const client = createMeetingControlClient({ token, baseUrl: server.url, maxRetries: 0 });
        const error = (await reject(client.inviteCamera({ ...IDS, action: "enable" }))) as ApiError;
        expect(error.message).toContain("bad ***");
        expect(error.requestId).toBe("***");
        expectNoSecret(error);
      }
    } finally {
      await server.close();
    }
  });

  it("a host password from a function, echoed by a control call: in its error and its request id", async () => {
    let refuse = false;
    const server = await loopbackServer((request, res) => {
      if (request.url.pathname.endsWith("/token"))
        return json(res, 200, { data: { token: "issued-token-1", confTokenExpireTime: 1800 } });
      const echo = `rid-${PASSWORD}`;
      if (!refuse) {
        res.writeHead(200, { "x-request-id": echo }).end();
        return;
      }
      json(
        res,
        403,
        { error_code: "MMC.111072117", error_msg: `for ${PASSWORD}` },
        { "x-request-id": echo },
      );
    });
    try {
      const client = createMeetingControlClient({
        hostPassword: async () => PASSWORD,
        baseUrl: server.url,
        maxRetries: 0,
      });
      const done = await client.inviteScreenShare({ ...IDS, action: "invite" });
      expect(done.requestId).toBe("rid-***");
      refuse = true;
      expectNoSecret(await reject(client.inviteCamera({ ...IDS, action: "enable" })));
    } finally {
      await server.close();
    }
  });

  it("a host password from a function, echoed by a control call whose token the cache kept while other conferences came and went", async () => {
    // The password each conference's token was asked with: the vault's answer, per conference.
    const passwords = new Map([
      ["986947855", `${PASSWORD}-A`],
      ["986947856", `${PASSWORD}-B`],
      ["986947857", `${PASSWORD}-C`],
    ]);
    let refuse = "";
    const server = await loopbackServer((request, res) => {
      const id = request.url.searchParams.get("conferenceID") ?? "";
      if (request.url.pathname.endsWith("/token"))
        return json(res, 200, { data: { token: `token-of-${id}`, confTokenExpireTime: 1800 } });
      if (id !== refuse) return void res.writeHead(200).end();
      json(res, 400, { error_code: "MMC.111072050", error_msg: `locked ${passwords.get(id)}` });
    });
    try {
      const client = createMeetingControlClient({
        hostPassword: async (id) => passwords.get(id) ?? "",
        baseUrl: server.url,
        maxRetries: 0,
        tokenCacheSize: 2,
      });
      const call = (conferenceID: string) =>
        client.inviteCamera({ ...IDS, conferenceID, action: "enable" });
      // A is used most recently when C comes, so B's token goes and A's stays.
      for (const id of ["986947855", "986947856", "986947855", "986947857"]) await call(id);
      // An explicit CreateConfToken with another password neither reads nor fills the cache.
      await client.createConfToken({ conferenceID: "986947855", hostPassword: "another-pass" });
      refuse = "986947855";
      const error = (await reject(call("986947855"))) as ApiError;
      expect(error.message).toContain("locked ***");
      expect(error.message).not.toContain(PASSWORD);
      expectNoSecret(error);
    } finally {
      await server.close();
    }
  });

  it("the token inside a longer base64 text a server echoes (a gateway's encoded copy of the request), at any offset", async () => {
    for (const prefix of ["", "x", "xy", "x-conference-authorization: "]) {
      const server = await loopbackServer((request, res) => {
        const sent = `${prefix}${request.headers["x-conference-authorization"]};`;
        const copy = Buffer.from(sent).toString("base64");
        json(res, 403, { error_code: "USG.000000004", error_msg: "no" }, { "x-debug": copy });
      });
      try {
        const client = createMeetingControlClient({ token: TOKEN, baseUrl: server.url });
        const error = (await reject(client.inviteCamera({ ...IDS, action: "enable" }))) as ApiError;
        const shown = String(error.headers?.["x-debug"]);
        expect(shown).toContain("***");
        // What is left, decoded at each alignment, holds no run of the token.
        for (const part of shown.split("***"))
          for (const pad of ["", "A", "AA", "AAA"])
            expect(Buffer.from(pad + part, "base64").toString("latin1")).not.toContain(
              "TOKEN-7f3a",
            );
        expectNoSecret(error);
      } finally {
        await server.close();
      }
    }
  });

  it("redactor takes out a secret that is not Latin-1 (no base64 of it exists), and base64url forms", () => {
    const redact = redactor(["tøken-ключ", "pa+ss/word-7"]);
    expect(redact("a tøken-ключ b")).toBe("a *** b");
    const url = Buffer.from("x: pa+ss/word-7 ").toString("base64url");
    expect(
      Buffer.from(String(redact(url)).replaceAll("***", ""), "base64url").toString(),
    ).not.toContain("ss/wo");
    expect(redact("File not found")).toBe("File not found");
  });

  it("redactor takes out a secret with an emoji in it, and keeps the rest of the text", () => {
    const redact = redactor(["tok-😀-en", "host-pw-1"]);
    expect(redact("echo: tok-😀-en and host-pw-1, done")).toBe("echo: *** and ***, done");
    // Escaped or percent-encoded text has no pattern for a lone half of the emoji: hidden whole.
    expect(redact(`echo: ${encodeURIComponent("tok-😀-en")}`)).toBe("***");
  });

  it("redactor takes out a secret that ends in `%`, percent-encoded, with nothing of its escape left", () => {
    const redact = redactor(["pass-word%", "%"]);
    expect(redact("password=pass-word%25&next=1")).toBe("password=***&next=1");
    expect(redact("a%25b")).toBe("a***b");
    expect(redact("as sent: pass-word%")).toBe("as sent: ***");
  });

  it("redactor takes out the part after `Basic` when it is not base64 (a gateway echoes that part alone)", () => {
    for (const part of ["tok-en_1", "abcde"]) {
      const redact = redactor([`Basic ${part}`]);
      expect(redact(`credential ${part} refused`)).toBe("credential *** refused");
      expect(redact(`Basic ${part}`)).toBe("***");
    }
  });

  it("client.createConfToken passed by reference (to map) takes its one argument only", async () => {
    const client = createMeetingControlClient({
      hostPassword: PASSWORD,
      baseUrl: "https://api.meeting.test",
      fetch: async () =>
        new Response(JSON.stringify({ data: { token: "t-1", confTokenExpireTime: 1800 } })),
    });
    const ids = [{ conferenceID: "986947855" }, { conferenceID: "986947856" }];
    const tokens = await Promise.all(ids.map(client.createConfToken));
    expect(tokens.map((t) => t.token)).toEqual(["t-1", "t-1"]);
  });

  it("a refused token, echoed by the CreateConfToken that was to replace it", async () => {
    let issued = 0;
    const server = await loopbackServer((request, res) => {
      if (!request.url.pathname.endsWith("/token"))
        return json(res, 401, { error_code: "USG.000000004", error_msg: "Illegal request" });
      if (issued++ === 0)
        return json(res, 200, { data: { token: TOKEN, confTokenExpireTime: 1800 } });
      json(res, 500, { error_code: "MMC.000000002", error_msg: `old token ${TOKEN} still live` });
    });
    try {
      const client = createMeetingControlClient({
        hostPassword: PASSWORD,
        baseUrl: server.url,
        maxRetries: 0,
      });
      const error = await reject(client.inviteCamera({ ...IDS, action: "enable" }));
      expect((error as ApiError).message).toContain("old token *** still live");
      expectNoSecret(error);
    } finally {
      await server.close();
    }
  });

  it("a secret with a space in it, echoed split across error_code and error_msg", async () => {
    const passphrase = "correct horse battery staple";
    const server = await loopbackServer((_, res) =>
      json(res, 400, { error_code: "correct", error_msg: "horse battery staple" }),
    );
    try {
      const client = createMeetingControlClient({
        hostPassword: passphrase,
        baseUrl: server.url,
        maxRetries: 0,
      });
      const error = (await reject(
        client.createConfToken({ conferenceID: IDS.conferenceID }),
      )) as Error;
      expect(error.message).toMatch(/^CreateConfToken failed: HTTP 400 \*\*\* \(request id /);
      expect(`${error.stack}${JSON.stringify(error)}`).not.toContain(passphrase);
    } finally {
      await server.close();
    }
  });
});
