import { describe, expect, it } from "vitest";
import type { RunIo } from "../src/run.js";
import {
  CONFERENCE,
  cli,
  IDS,
  reply,
  service,
  stubFetch,
  TOKEN_PATH,
  terminal,
} from "./helpers.js";

// Distinctive values, so a leak anywhere is found by a plain substring search; the short pair
// checks that the output filter has no lower bound on length. Where a secret is typed in the
// place of a word the error quotes back (an action, a flag name), only that filter stands
// between it and the terminal.
const PAIRS = [
  { token: "SECRET-TOKEN-7f3a9c", password: "SECRET-PASSWORD-51be2d" },
  { token: "Tk9#q", password: "Pw4$z" },
];

const refused = () =>
  stubFetch(() => reply(401, { error_code: "USG.000000004", error_msg: "Illegal request" }));
const html500 = () =>
  stubFetch(() => reply(500, "<html>oops</html>", { "content-type": "text/html" }));
const unreachable = () =>
  stubFetch(() => {
    throw new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED") });
  });
const passwordRefused = () =>
  stubFetch((request) =>
    request.url.pathname === TOKEN_PATH
      ? reply(400, { error_code: "MMC.111072065", error_msg: "CONF_NOT_FOUND_OR_AUTH_FAILED" })
      : reply(200, {}),
  );

type Case = [string, string[], Partial<RunIo>, number];

const base64 = (text: string) => Buffer.from(text).toString("base64");

function cases({ token, password }: (typeof PAIRS)[number]): Case[] {
  const both = { MEETING_HOST_PASSWORD: password, MEETING_CONTROL_TOKEN: token };
  const pw = { MEETING_HOST_PASSWORD: password };
  return [
    [
      "camera with --token",
      ["camera", "enable", ...IDS, "--token", token],
      { env: pw, fetch: service() },
      0,
    ],
    ["camera with the env token", ["camera", "enable", ...IDS], { env: both, fetch: service() }, 0],
    [
      "camera with the host password",
      ["camera", "disable", ...IDS],
      { env: pw, fetch: service() },
      0,
    ],
    [
      "share with --token=",
      ["share", "invite", ...IDS, `--token=${token}`],
      { env: pw, fetch: service() },
      0,
    ],
    ["token", ["token", "--conference", CONFERENCE], { env: both, fetch: service() }, 0],
    [
      "token at the prompt",
      ["token", "--conference", CONFERENCE],
      { stdin: terminal(`${password}\r`), fetch: service() },
      0,
    ],
    [
      "a refused token",
      ["camera", "enable", ...IDS, "--token", token],
      { env: pw, fetch: refused() },
      1,
    ],
    ["a refused password", ["camera", "enable", ...IDS], { env: pw, fetch: passwordRefused() }, 1],
    [
      "a refused password (token)",
      ["token", "--conference", CONFERENCE],
      { env: pw, fetch: passwordRefused() },
      1,
    ],
    [
      "an HTML 500",
      ["share", "cancel", ...IDS, "--token", token],
      { env: pw, fetch: html500() },
      1,
    ],
    ["a network error", ["share", "cancel", ...IDS], { env: both, fetch: unreachable() }, 1],
    ["--password", ["camera", "enable", ...IDS, "--password", password], { env: both }, 2],
    [
      "--host-password=",
      ["token", "--conference", CONFERENCE, `--host-password=${password}`],
      {},
      2,
    ],
    ["--token on token", ["token", "--conference", CONFERENCE, "--token", token], { env: pw }, 2],
    [
      "a bad conference ID",
      ["camera", "enable", "--conference", "1", "--participant", "p", "--token", token],
      { env: pw },
      2,
    ],
    [
      "a bad base URL",
      ["camera", "enable", ...IDS, "--base-url", "http://example.com"],
      { env: both },
      2,
    ],
    ["an unusable token", ["camera", "enable", ...IDS, "--token", `${token}\n`], { env: pw }, 2],
    [
      "an unusable password",
      ["token", "--conference", CONFERENCE],
      { env: { MEETING_HOST_PASSWORD: `${password}\u00e9` } },
      2,
    ],
  ];
}

/** A secret typed where the error message quotes the user's word back. */
function quoted({ token, password }: (typeof PAIRS)[number]): Case[] {
  const pw = { MEETING_HOST_PASSWORD: password };
  return [
    ["a bad action", ["camera", token, ...IDS, "--token", token], { env: pw }, 2],
    [
      "an unknown flag",
      ["camera", "enable", ...IDS, `--${password}`, "--token", token],
      { env: pw },
      2,
    ],
    ["an extra argument", ["camera", "enable", password, ...IDS, "--token", token], { env: pw }, 2],
    // `--token Basic <base64>` unquoted: the base64 is a word of its own.
    ...[
      ["camera", "enable", ...IDS, "--token", "Basic", base64(token)],
      ["--token", "Basic", base64(token), "camera", "enable", ...IDS],
      ["camera", "--token=basic", base64(token), "enable", ...IDS],
    ].map((argv): Case => [`an unquoted ${argv.join(" ")}`, argv, { env: pw }, 2]),
  ];
}

describe("the token and host password never appear in stdout or stderr", () => {
  for (const pair of PAIRS) {
    describe(`with ${pair.token.length}-character secrets`, () => {
      it.each([...cases(pair), ...quoted(pair)])("%s", async (_, argv, io, expected) => {
        for (const json of [false, true]) {
          const stdin = io.stdin && terminal(`${pair.password}\r`); // a fresh terminal per run
          const { code, stdout, stderr } = await cli(json ? [...argv, "--json"] : argv, {
            ...io,
            ...(stdin && { stdin }),
          });
          expect(code).toBe(expected);
          const output = stdout + stderr;
          expect(output.length).toBeGreaterThan(0);
          for (const secret of [pair.token, pair.password]) {
            expect(output).not.toContain(secret);
            expect(output).not.toContain(Buffer.from(secret).toString("base64"));
          }
        }
      });
    });
  }
});

describe("even when the server echoes them, whatever characters they hold", () => {
  // Echoes every credential it gets into each field the CLI prints, on success and on failure.
  const echo = (status: number) =>
    stubFetch((request) => {
      const sent = [
        request.headers.get("x-conference-authorization"),
        request.headers.get("x-password"),
      ]
        .filter(Boolean)
        .join(" ");
      if (request.url.pathname === TOKEN_PATH) {
        return reply(
          200,
          { data: { token: "issued-token-1", userID: sent, orgID: sent, [sent]: true } },
          {
            "x-request-id": encodeURIComponent(sent),
          },
        );
      }
      return reply(
        status,
        // The message quotes it as JSON as well, as a gateway quoting the request would.
        status === 200
          ? { echo: sent }
          : { error_code: sent, error_msg: `${sent} ${JSON.stringify({ sent })}` },
        {
          "x-request-id": `${encodeURIComponent(sent)}-${new URLSearchParams({ "": sent })}`,
        },
      );
    });

  it("a password typed at the prompt, echoed in the token answer", async () => {
    const password = "typed-PASSWORD-3c9e";
    for (const json of [false, true]) {
      const run = await cli(["token", "--conference", CONFERENCE, ...(json ? ["--json"] : [])], {
        stdin: terminal(`${password}\r`),
        fetch: echo(200),
      });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain("issued-token-1");
      expect(run.stdout + run.stderr).not.toContain(password);
    }
  });

  it("a host password of digits, echoed as a JSON number in the token answer: not in --json", async () => {
    const pin = "86420913";
    const fetch = stubFetch((request) =>
      reply(200, {
        data: { token: "issued-token-1", orgID: Number(request.headers.get("x-password")) },
      }),
    );
    const run = await cli(["token", "--conference", CONFERENCE, "--json"], {
      env: { MEETING_HOST_PASSWORD: pin },
      fetch,
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ token: "issued-token-1", orgID: "***" });
    expect(run.stdout + run.stderr).not.toContain(pin);
  });

  it("a new token with the host password inside it: printed whole, the password echoed elsewhere hidden", async () => {
    const pin = "123456";
    const issued = `Tok-a-${pin}-b`;
    const fetch = stubFetch(() =>
      reply(
        200,
        { data: { token: issued, userID: `user-${pin}` } },
        { "x-request-id": `rid-${pin}` },
      ),
    );
    for (const json of [false, true]) {
      const run = await cli(["token", "--conference", CONFERENCE, ...(json ? ["--json"] : [])], {
        env: { MEETING_HOST_PASSWORD: pin },
        fetch,
      });
      expect(run.code).toBe(0);
      if (json) {
        const out = JSON.parse(run.stdout);
        expect(out.token).toBe(issued);
        expect(out.userID).toBe("user-***");
        expect(out.requestId).toBe("rid-***");
      } else {
        expect(run.stdout).toContain(`token:      ${issued}\n`);
        expect(run.stdout).toContain("request id: rid-***\n");
      }
      expect(run.stdout.replaceAll(issued, "")).not.toContain(pin);
    }
  });

  it.each([
    ["a quote and a backslash", 'tok"en\\x-9', 'pw"\\-7'],
    ["Unicode (refused by the client)", "tökén-😀-9", "pässwörd-😀"],
    ["a part of the base URL", "127.0.0.1", "huaweicloud"],
  ])("%s", async (_, token, password) => {
    const env = { MEETING_HOST_PASSWORD: password };
    for (const argv of [
      ["camera", "enable", ...IDS, "--token", token, "--mock"],
      ["share", "invite", ...IDS, "--mock"],
      ["token", "--conference", CONFERENCE, "--mock"],
      ["camera", "disable", ...IDS, "--token", token],
    ]) {
      for (const status of [200, 400, 503]) {
        for (const json of [false, true]) {
          const run = await cli(json ? [...argv, "--json"] : argv, { env, fetch: echo(status) });
          const output = run.stdout + run.stderr;
          expect(output.length, argv.join(" ")).toBeGreaterThan(0);
          for (const secret of [token, password]) {
            expect(output, `${argv.join(" ")} ${status}`).not.toContain(secret);
            // Percent- and form-encoded, as a server may echo it in a URL or a request id.
            for (const form of [
              encodeURIComponent(secret),
              `${new URLSearchParams({ "": secret })}`,
            ])
              expect(output, `${argv.join(" ")} ${status}`).not.toContain(form.replace(/^=/, ""));
            // JSON-escaped: the CLI's --json line, and the echo quoted as JSON in any output.
            expect(output).not.toContain(JSON.stringify(secret).slice(1, -1));
          }
          if (json) expect(() => JSON.parse(run.stdout)).not.toThrow();
        }
      }
    }
  });
});

it("`--token Basic <base64>` unquoted: the message asking for quotes is readable, the base64 hidden", async () => {
  const base64 = Buffer.from("SECRET-TOKEN-7f3a9c").toString("base64");
  const { code, stderr } = await cli(["camera", "enable", ...IDS, "--token", "Basic", base64]);
  expect(code).toBe(2);
  expect(stderr).toContain('--token "Basic <base64>" must be one argument: put it in quotes');
  expect(stderr).not.toContain(base64);
});

describe("a short or numeric secret does not garble what the CLI prints", () => {
  it("a password of one letter: the CLI's own words are whole, the password alone is hidden", async () => {
    const usage = await cli(["camera", "--token", "x"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Run "meeting-control camera --help" for usage and examples.');
    const echoed = stubFetch(() =>
      reply(400, { error_code: "MMC.111072065", error_msg: "password x (eA==) refused" }),
    );
    const run = await cli(["token", "--conference", CONFERENCE, "--json"], {
      env: { MEETING_HOST_PASSWORD: "x" },
      fetch: echoed,
    });
    expect(run.code).toBe(1);
    const { error } = JSON.parse(run.stdout);
    expect(error).toMatchObject({ operation: "CreateConfToken", code: "MMC.111072065" });
    expect(error.serviceMessage).toBe("password *** (***) refused");
  });

  it("a token of one letter, with a service error: the operation and status are whole, the echo hidden", async () => {
    // "t" is in "InviteOperateVideo" and "HTTP".
    const refused = stubFetch(() =>
      reply(502, { error_code: "MMC.000000002", error_msg: 'token "t" failed' }),
    );
    const run = await cli(
      ["camera", "enable", ...IDS, "--token", "t", "--retries", "0", "--json"],
      {
        fetch: refused,
      },
    );
    expect(run.code).toBe(1);
    const { error } = JSON.parse(run.stdout);
    expect(error.message).toMatch(/^InviteOperateVideo failed: HTTP 502 MMC\.000000002 /);
    expect(error.serviceMessage).not.toContain('"t"');
  });

  it.each(["token", "Video", "enable"])(
    "a secret inside the CLI's own words (%s): the operation and action in --json are whole",
    async (secret) => {
      const token = await cli(["token", "--conference", CONFERENCE, "--json"], {
        env: { MEETING_HOST_PASSWORD: secret },
        fetch: stubFetch(() => reply(200, { data: { token: "issued-token-1" } })),
      });
      expect(JSON.parse(token.stdout)).toMatchObject({ ok: true, operation: "CreateConfToken" });
      const camera = await cli(["camera", "enable", ...IDS, "--json"], {
        env: { MEETING_CONTROL_TOKEN: `${secret}-tok`, MEETING_HOST_PASSWORD: secret },
        fetch: stubFetch(() => reply(200, {})),
      });
      expect(JSON.parse(camera.stdout)).toMatchObject({
        ok: true,
        operation: "InviteOperateVideo",
        action: "enable",
      });
      // A value of the server's with the secret inside it is still hidden.
      const refused = await cli(["camera", "enable", ...IDS, "--retries", "0", "--json"], {
        env: { MEETING_CONTROL_TOKEN: `${secret}-tok`, MEETING_HOST_PASSWORD: secret },
        fetch: stubFetch(() =>
          reply(502, { error_code: "MMC.000000002", error_msg: `no ${secret} here` }),
        ),
      });
      const { error } = JSON.parse(refused.stdout);
      expect(error.operation).toBe("InviteOperateVideo");
      expect(error.serviceMessage).toBe("no *** here");
    },
  );

  it("keys of the server's named like Object's own (constructor, toString, __proto__): still one JSON object, the token whole", async () => {
    const answer = `{"data":{"token":"tok4821abc","userID":4821,"constructor":null,"toString":"x","hasOwnProperty":1,"__proto__":{"a":1}}}`;
    const run = await cli(["token", "--conference", CONFERENCE, "--json"], {
      env: { MEETING_HOST_PASSWORD: "4821" },
      fetch: stubFetch(() => reply(200, answer, { "content-type": "application/json" })),
    });
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout);
    expect(printed).toMatchObject({ ok: true, token: "tok4821abc", userID: "***" });
    expect(Object.hasOwn(printed, "constructor")).toBe(true);
    expect(printed.constructor).toBeNull();
    expect(run.stdout).not.toMatch(/4821(?!abc)/);
  });

  it.each(["86420913", "-1234", "0042"])(
    "a host password that reads as a number (%s), echoed as a JSON number: ***",
    async (pin) => {
      const fetch = stubFetch(() =>
        reply(200, { data: { token: "issued-token-1", orgID: Number(pin) } }),
      );
      const run = await cli(["token", "--conference", CONFERENCE, "--json"], {
        env: { MEETING_HOST_PASSWORD: pin },
        fetch,
      });
      expect(JSON.parse(run.stdout)).toMatchObject({ token: "issued-token-1", orgID: "***" });
    },
  );

  it("a PIN whose digits are inside a time in the answer: the time stays a number", async () => {
    const pin = "189609";
    const fetch = stubFetch(() =>
      reply(200, {
        data: { token: "issued-token-1", expireTime: 1582189609629, confTokenExpireTime: 1800 },
      }),
    );
    const run = await cli(["token", "--conference", CONFERENCE, "--json"], {
      env: { MEETING_HOST_PASSWORD: pin },
      fetch,
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      token: "issued-token-1",
      expireTime: 1582189609629,
      confTokenExpireTime: 1800,
    });
  });
});
