import { readFileSync } from "node:fs";
import { ERROR_CODES } from "@meeting-control/client/error-codes";
import { DEFAULT_REGION, ID_LENGTHS, POLARITY, REGIONS } from "@meeting-control/client/facts";
import { describe, expect, it, vi } from "vitest";
import {
  CONFERENCE,
  cli,
  IDS,
  PARTICIPANT,
  REQUEST_ID,
  reply,
  SHARE,
  service,
  stubFetch,
  TOKEN_PATH,
  TOKEN_RESPONSE,
  terminal,
  VIDEO,
} from "./helpers.js";

const TOKEN = "stbaf8fa2ea8-example-token";
const env = { MEETING_CONTROL_TOKEN: TOKEN };
// The spec's facts, as the messages and the bodies state them.
const CONFERENCE_LENGTHS = `${ID_LENGTHS.conferenceID.min} to ${ID_LENGTHS.conferenceID.max}`;
const { InviteOperateVideo: video, InviteShare: share } = POLARITY;

describe("camera and share", () => {
  it.each(
    [
      ["camera", "enable", "Asked participant P to turn the camera on"],
      ["camera", "disable", "Asked participant P to turn the camera off"],
      ["share", "invite", "Invited participant P to share a screen"],
      ["share", "cancel", "Cancelled the screen-share invitation of participant P"],
    ].map(([command = "", action = "", said = ""]) => {
      // The body the spec's polarity gives the action.
      const [path, op] = command === "camera" ? [VIDEO, video] : [SHARE, share];
      const value = (op as unknown as Record<string, number>)[action];
      return [command, action, path, { [op.field]: value }, said] as const;
    }),
  )("%s %s sends PUT %s %j and says what it did", async (command, action, path, body, said) => {
    const fetch = service();
    const result = await cli([command, action, ...IDS], { env, fetch });
    expect(result).toEqual({
      code: 0,
      stdout: `${said.replace("P", PARTICIPANT)} (request id ${REQUEST_ID})\n`,
      stderr: "",
    });
    const [request] = fetch.requests;
    expect(fetch.requests).toHaveLength(1);
    expect(request?.method).toBe("PUT");
    expect(request?.url.pathname).toBe(path);
    expect(Object.fromEntries(request?.url.searchParams ?? [])).toEqual({
      conferenceID: CONFERENCE,
      participantID: PARTICIPANT,
    });
    expect(JSON.parse(request?.body ?? "")).toEqual(body);
    expect(request?.headers.get("x-conference-authorization")).toBe(TOKEN);
  });

  it("--json prints one object with the operation and request id", async () => {
    for (const [command, action, operation] of [
      ["camera", "disable", "InviteOperateVideo"],
      ["share", "invite", "InviteShare"],
    ] as const) {
      const { code, stdout, stderr } = await cli([command, action, ...IDS, "--json"], {
        env,
        fetch: service(),
      });
      expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
      expect(stdout.endsWith("\n") && stdout.trim().split("\n")).toHaveLength(1);
      expect(JSON.parse(stdout)).toEqual({
        ok: true,
        operation,
        requestId: REQUEST_ID,
        conferenceID: CONFERENCE,
        participantID: PARTICIPANT,
        action,
      });
    }
  });

  it("says so when the answer has no request id", async () => {
    const fetch = stubFetch(() => new Response(null, { status: 200 }));
    const human = await cli(["camera", "enable", ...IDS], { env, fetch });
    expect(human.stdout).toBe(
      `Asked participant ${PARTICIPANT} to turn the camera on (no request id)\n`,
    );
    const json = await cli(["camera", "enable", ...IDS, "--json"], { env, fetch });
    expect(JSON.parse(json.stdout).requestId).toBeNull();
  });

  it("takes --token over MEETING_CONTROL_TOKEN", async () => {
    const fetch = service();
    await cli(["share", "cancel", ...IDS, "--token", "from-the-flag"], { env, fetch });
    expect(fetch.requests[0]?.headers.get("x-conference-authorization")).toBe("from-the-flag");
  });

  it("gets a token itself with MEETING_HOST_PASSWORD when no token is given", async () => {
    const fetch = service();
    const { code } = await cli(["camera", "enable", ...IDS], {
      env: { MEETING_HOST_PASSWORD: "host-pass-123" },
      fetch,
    });
    expect(code).toBe(0);
    const [tokenRequest, put] = fetch.requests;
    expect(tokenRequest?.url.pathname).toBe(TOKEN_PATH);
    expect(tokenRequest?.headers.get("x-password")).toBe("host-pass-123");
    expect(put?.url.pathname).toBe(VIDEO);
    expect(put?.headers.get("x-conference-authorization")).toBe(TOKEN_RESPONSE.data.token);
  });

  it.each<[string[], Record<string, string>, string]>([
    [[], {}, REGIONS[DEFAULT_REGION]],
    ...Object.entries(REGIONS).map(([region, url]): [string[], Record<string, string>, string] => [
      ["--region", region],
      {},
      url,
    ]),
    [["--mock"], {}, "http://127.0.0.1:4010"],
    [["--mock"], { MEETING_CONTROL_MOCK_URL: "http://localhost:9999" }, "http://localhost:9999"],
    [["--base-url", "https://meeting.example.com/api"], {}, "https://meeting.example.com/api"],
    [["--base-url=http://[::1]:4010"], {}, "http://[::1]:4010"],
  ])("%j %j sends to %s", async (flags, extraEnv, base) => {
    const fetch = service();
    const { code } = await cli(["camera", "enable", ...IDS, ...flags], {
      env: { ...env, ...extraEnv },
      fetch,
    });
    expect(code).toBe(0);
    expect(fetch.requests[0]?.url.href.startsWith(`${base}${VIDEO}?`)).toBe(true);
  });

  it("flags may come before the command", async () => {
    const fetch = service();
    const { code, stdout } = await cli(["--json", ...IDS, "camera", "enable"], { env, fetch });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).ok).toBe(true);
  });

  it("passes MEETING_CONTROL_PREFER as a Prefer header (a mock-only aid), and nothing otherwise", async () => {
    const fetch = service();
    await cli(["camera", "enable", ...IDS], {
      env: { ...env, MEETING_CONTROL_PREFER: "code=200, example=success" },
      fetch,
    });
    await cli(["camera", "enable", ...IDS], { env, fetch });
    expect(fetch.requests.map((r) => r.headers.get("prefer"))).toEqual([
      "code=200, example=success",
      null,
    ]);
  });
});

describe("token", () => {
  it("prints the token, its expiry and the role, with the host password from MEETING_HOST_PASSWORD", async () => {
    const fetch = service();
    const before = Date.now();
    const { code, stdout, stderr } = await cli(["token", "--conference", CONFERENCE], {
      env: { MEETING_HOST_PASSWORD: "host-pass-123" },
      fetch,
    });
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const request = fetch.requests[0];
    expect(request?.method).toBe("GET");
    expect(request?.url.pathname).toBe(TOKEN_PATH);
    expect(request?.url.searchParams.get("conferenceID")).toBe(CONFERENCE);
    expect(request?.headers.get("x-password")).toBe("host-pass-123");
    expect(request?.headers.get("x-login-type")).toBe("1");
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(`token:      ${TOKEN_RESPONSE.data.token}`);
    const expires = Date.parse(lines[1]?.replace(/^expires: +/, "") ?? "");
    expect(lines[1]).toMatch(/^expires: +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // The lifetime the answer gave (the spec's example).
    const lifetime = TOKEN_RESPONSE.data.confTokenExpireTime * 1000;
    expect(expires - before).toBeGreaterThanOrEqual(lifetime);
    expect(expires - Date.now()).toBeLessThanOrEqual(lifetime);
    expect(lines.slice(2)).toEqual(["role:       host", `request id: ${REQUEST_ID}`]);
  });

  it("prints role (none) for an answer without one (the spec has it optional), its number for one it does not name", async () => {
    for (const [role, shown] of [
      [undefined, "(none)"],
      [7, "7"],
    ] as const) {
      const data = { ...TOKEN_RESPONSE.data, role };
      const fetch = stubFetch(() => reply(200, { ...TOKEN_RESPONSE, data }));
      const { code, stdout } = await cli(["token", "--conference", CONFERENCE], {
        env: { MEETING_HOST_PASSWORD: "host-pass-123" },
        fetch,
      });
      expect([code, stdout.split("\n")[2]]).toEqual([0, `role:       ${shown}`]);
    }
  });

  it("--json prints every token field, expiresAt as an ISO date", async () => {
    const { code, stdout } = await cli(["token", "--conference", CONFERENCE, "--json"], {
      env: { MEETING_HOST_PASSWORD: "host-pass-123" },
      fetch: service(),
    });
    expect(code).toBe(0);
    const output = JSON.parse(stdout);
    expect(output).toEqual({
      ok: true,
      operation: "CreateConfToken",
      requestId: REQUEST_ID,
      ...TOKEN_RESPONSE.data,
      addressToken: TOKEN_RESPONSE.addressToken,
      gloablPublicIP: TOKEN_RESPONSE.gloablPublicIP,
      expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    expect(new Date(output.expiresAt).toISOString()).toBe(output.expiresAt);
  });

  it("in a terminal, asks for the host password without echoing it", async () => {
    const fetch = service();
    const stdin = terminal("typed-pass-9\r");
    const { code, stdout, stderr } = await cli(["token", "--conference", CONFERENCE], {
      stdin,
      fetch,
    });
    expect(code).toBe(0);
    expect(stderr).toBe(`Host password for conference ${CONFERENCE}: \n`);
    expect(stdout).toContain(`token:      ${TOKEN_RESPONSE.data.token}`);
    expect(stdout + stderr).not.toContain("typed-pass-9");
    expect(fetch.requests[0]?.headers.get("x-password")).toBe("typed-pass-9");
    expect(stdin.rawModes).toEqual([true, false]); // echo off while typing, back on after
  });

  it("gives the person at the prompt all the time they need: --timeout is the service's", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const fetch = service();
      const stdin = terminal("");
      const done = cli(["token", "--conference", CONFERENCE, "--timeout", "1000"], {
        stdin,
        fetch,
      });
      while (!stdin.rawModes.length) await new Promise((r) => setImmediate(r));
      await vi.advanceTimersByTimeAsync(60_000); // a minute at the prompt
      stdin.write("typed-pass-9\r");
      const { code, stdout, stderr } = await done;
      expect({ code, stderr }).toEqual({
        code: 0,
        stderr: `Host password for conference ${CONFERENCE}: \n`,
      });
      expect(stdout).toContain(`token:      ${TOKEN_RESPONSE.data.token}`);
      expect(fetch.requests.map((r) => r.headers.get("x-password"))).toEqual(["typed-pass-9"]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("checks the flags before asking for the password", async () => {
    const stdin = terminal("typed-pass-9\r");
    const { code, stderr } = await cli(["token", "--conference", "123"], { stdin });
    expect(code).toBe(2);
    expect(stderr).not.toContain("Host password");
    expect(stdin.rawModes).toEqual([]);
  });

  it("Ctrl-C at the prompt exits 130 without a request", async () => {
    const fetch = service();
    const { code, stderr } = await cli(["token", "--conference", CONFERENCE], {
      stdin: terminal("typed\x03"),
      fetch,
    });
    expect(code).toBe(130);
    expect(stderr).toContain("cancelled");
    expect(fetch.requests).toHaveLength(0);
  });

  it("an empty password at the prompt is a usage error", async () => {
    const { code, stderr } = await cli(["token", "--conference", CONFERENCE], {
      stdin: terminal("\r"),
    });
    expect(code).toBe(2);
    expect(stderr).toContain("the host password must be a non-empty string");
  });

  it("without a terminal and without MEETING_HOST_PASSWORD, says to set it (no prompt, no hang)", async () => {
    const stdin = Object.assign(terminal(""), { isTTY: false });
    for (const io of [{}, { stdin }, { stdin, env: { MEETING_HOST_PASSWORD: "" } }]) {
      const { code, stdout, stderr } = await cli(["token", "--conference", CONFERENCE], io);
      expect(code).toBe(2);
      expect(stdout).toBe("");
      expect(stderr).toContain("no host password: set MEETING_HOST_PASSWORD");
    }
  });
});

describe("usage errors exit 2 and name the flag or value, and what is allowed", () => {
  const withToken = { MEETING_CONTROL_TOKEN: TOKEN };
  it.each([
    [[], {}, "meeting-control: missing command; must be one of camera, share, token"],
    [
      ["camrea", "on"],
      {},
      'meeting-control: unknown command "camrea"; must be one of camera, share, token',
    ],
    [["help", "camrea"], {}, 'unknown command "camrea"; must be one of camera, share, token'],
    // The word after an unknown flag may be its value, a password say: it is not echoed.
    [
      ["--pass-word", "S3cret-word", "token"],
      {},
      "meeting-control: unknown command (the word after --pass-word, not shown); must be one of camera, share, token",
    ],
    [["-p", "S3cret-word", "token"], {}, "meeting-control: -p is not accepted"],
    [["token", "--passwd", "S3cret-word"], {}, "token: --passwd is not accepted"],
    [["token", "--host_password=S3cret-word"], {}, "token: --host_password is not accepted"],
    [
      ["camera", "on", ...IDS],
      withToken,
      'camera: action must be one of enable, disable; got "on"',
    ],
    [
      ["share", "start", ...IDS],
      withToken,
      'share: action must be one of invite, cancel; got "start"',
    ],
    [["camera", ...IDS], withToken, "camera: missing action; must be one of enable, disable"],
    [["camera", "enable", "now", ...IDS], withToken, 'camera: unexpected argument "now"'],
    // A repeated flag would act on whichever came last, unseen; its values are not echoed.
    [
      ["camera", "enable", ...IDS, "--conference", "111111111"],
      withToken,
      "camera: --conference is given twice; give it once",
    ],
    [
      ["share", "invite", ...IDS, "--participant=bob"],
      withToken,
      "share: --participant is given twice; give it once",
    ],
    [
      ["camera", "enable", ...IDS, "--token", "AAAA-token", "--token", "BBBB-token"],
      {},
      "camera: --token is given twice; give it once",
    ],
    [
      ["camera", "enable", "--participant", PARTICIPANT],
      withToken,
      "camera: missing --conference ID",
    ],
    [["share", "invite", "--conference", CONFERENCE], withToken, "share: missing --participant ID"],
    [["token"], {}, "token: missing --conference ID"],
    [
      ["camera", "enable", ...IDS, "--colour"],
      withToken,
      "camera: unknown flag --colour; allowed: --conference, --participant, --token, --base-url, --region, --mock, --timeout, --retries, --json, --help, --version",
    ],
    [["camera", "enable", ...IDS, "-x"], withToken, "camera: unknown flag -x"],
    [
      ["token", ...IDS],
      { MEETING_HOST_PASSWORD: "host-pass-123" },
      "token: unknown flag --participant; allowed: --conference, --base-url",
    ],
    [["token", "--conference", CONFERENCE, "--token", TOKEN], {}, "token: unknown flag --token"],
    [
      ["camera", "enable", ...IDS, "--password", "pw-on-the-command-line"],
      withToken,
      "camera: --password is not accepted: a password on the command line is visible to other users and kept in shell history. Set MEETING_HOST_PASSWORD instead.",
    ],
    [
      ["token", "--conference", CONFERENCE, "--host-password=pw-on-the-command-line"],
      {},
      "token: --host-password is not accepted",
    ],
    [
      ["camera", "enable", ...IDS],
      {},
      "camera: no token: pass --token or set MEETING_CONTROL_TOKEN (or set MEETING_HOST_PASSWORD to let the CLI get one)",
    ],
    [["camera", "enable", ...IDS], { MEETING_CONTROL_TOKEN: "" }, "camera: no token"],
    [
      ["camera", "enable", ...IDS, "--base-url", "http://meeting.example.com"],
      withToken,
      'camera: --base-url must be an https:// URL (http:// only to a loopback host, such as http://127.0.0.1:4010); got "http://meeting.example.com"',
    ],
    [
      ["camera", "enable", ...IDS, "--base-url", "api.example.com"],
      withToken,
      "--base-url must be an https:// URL",
    ],
    [
      ["camera", "enable", ...IDS, "--mock"],
      { ...withToken, MEETING_CONTROL_MOCK_URL: "ftp://127.0.0.1" },
      'MEETING_CONTROL_MOCK_URL must be an https:// URL (http:// only to a loopback host, such as http://127.0.0.1:4010); got "ftp://127.0.0.1"',
    ],
    [
      ["camera", "enable", "--conference", "123", "--participant", PARTICIPANT],
      withToken,
      `camera: --conference must be a string of ${CONFERENCE_LENGTHS} characters; got a string of length 3`,
    ],
    [
      ["share", "cancel", "--conference", CONFERENCE, "--participant="],
      withToken,
      "share: --participant must be a non-empty string",
    ],
    [
      ["camera", "enable", ...IDS, "--token", ""],
      {},
      "camera: --token must be a non-empty string of printable ASCII characters",
    ],
    [
      ["camera", "enable", ...IDS],
      { MEETING_CONTROL_TOKEN: "two\nlines" },
      "camera: MEETING_CONTROL_TOKEN must be a non-empty string of printable ASCII characters",
    ],
    [
      ["token", "--conference", CONFERENCE],
      { MEETING_HOST_PASSWORD: "pässwort" },
      "token: MEETING_HOST_PASSWORD must be a non-empty string of printable ASCII characters",
    ],
    [
      ["camera", "enable", ...IDS, "--region", "mars"],
      withToken,
      `camera: --region must be one of ${Object.keys(REGIONS).join(", ")}; got "mars"`,
    ],
    [
      ["camera", "enable", ...IDS, "--timeout", "soon"],
      withToken,
      'camera: --timeout must be a whole number of milliseconds from 1 to 2147483647; got "soon"',
    ],
    [["camera", "enable", ...IDS, "--timeout", "0"], withToken, "--timeout must be a whole number"],
    [["camera", "enable", ...IDS, "--timeout"], withToken, "camera: --timeout needs a value"],
    [
      ["camera", "enable", ...IDS, "--mock", "--base-url", "https://x.example"],
      withToken,
      "camera: use only one of --base-url, --mock and --region; got --base-url and --mock",
    ],
  ])("%j %j", async (argv, extraEnv, message) => {
    const fetch = service();
    const { code, stdout, stderr } = await cli(argv, { env: extraEnv, fetch });
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(`${message}`);
    expect(stderr).toMatch(/^meeting-control[ :]/);
    expect(stderr).toMatch(/Run "meeting-control (\w+ )?--help" for usage and examples\.\n$/);
    expect(fetch.requests).toHaveLength(0);
  });

  it("--json taken as the value of the flag before it, or given a value, still puts the usage error on stdout", async () => {
    for (const [argv, message] of [
      [
        ["camera", "enable", "--conference", CONFERENCE, "--participant", "--json"],
        "--participant needs a value",
      ],
      [["camera", "enable", ...IDS, "--json=1"], "--json takes no value"],
      [["camera", "enable", "--conference", "--json"], "--conference needs a value"],
    ] as const) {
      const { code, stdout, stderr } = await cli([...argv], { env });
      expect({ code, stderr }).toEqual({ code: 2, stderr: "" });
      expect(JSON.parse(stdout).error).toMatchObject({ name: "UsageError", message });
    }
  });

  it("at the password prompt, a conference ID is escaped as everywhere: no line rewritten", async () => {
    const stdin = terminal("typed-pass-9\r");
    const { stderr } = await cli(["token", "--conference", "98\r\u001b[2K12"], {
      stdin,
      fetch: service(),
    });
    expect(stderr.startsWith("Host password for conference 98\\u000d\\u001b[2K12: ")).toBe(true);
    expect([stderr.includes("\r"), stderr.includes("\u001b")]).toEqual([false, false]);
  });

  it("--json puts the usage error on stdout as { ok: false, error }", async () => {
    const bad = await cli(["camera", "on", ...IDS, "--json"], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("");
    expect(JSON.parse(bad.stdout)).toEqual({
      ok: false,
      error: {
        name: "UsageError",
        status: null,
        code: null,
        serviceMessage: null,
        requestId: null,
        operation: null,
        message: 'action must be one of enable, disable; got "on"',
      },
    });
    const invalid = await cli(
      ["camera", "enable", "--json", "--conference", "1", "--participant", "p"],
      {
        env,
      },
    );
    expect(invalid.code).toBe(2);
    expect(JSON.parse(invalid.stdout).error).toMatchObject({
      name: "InvalidInputError",
      message: `--conference must be a string of ${CONFERENCE_LENGTHS} characters; got a string of length 1`,
    });
  });
});

describe("API, network and timeout errors exit 1", () => {
  const forbidden = () =>
    stubFetch(() =>
      reply(403, { error_code: "MMC.111072117", error_msg: "CONF_NOT_SUPPORT_INVITE_OPEN_VIDEO" }),
    );

  it("prints the status, code, service message and request id", async () => {
    const { code, stdout, stderr } = await cli(["camera", "enable", ...IDS], {
      env,
      fetch: forbidden(),
    });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      [
        "meeting-control camera: the service refused InviteOperateVideo with HTTP 403",
        "  status:          403",
        "  code:            MMC.111072117",
        "  service message: CONF_NOT_SUPPORT_INVITE_OPEN_VIDEO",
        `  request id:      ${REQUEST_ID}`,
        "  meaning:         The meeting does not allow inviting participants to turn the camera on",
        "",
      ].join("\n"),
    );
  });

  it("--json prints the error's fields on stdout", async () => {
    const { code, stdout, stderr } = await cli(["camera", "enable", ...IDS, "--json"], {
      env,
      fetch: forbidden(),
    });
    expect({ code, stderr }).toEqual({ code: 1, stderr: "" });
    expect(JSON.parse(stdout)).toEqual({
      ok: false,
      error: {
        name: "ClientRequestError",
        status: 403,
        code: "MMC.111072117",
        serviceMessage: "CONF_NOT_SUPPORT_INVITE_OPEN_VIDEO",
        requestId: REQUEST_ID,
        operation: "InviteOperateVideo",
        message: `InviteOperateVideo failed: HTTP 403 MMC.111072117 CONF_NOT_SUPPORT_INVITE_OPEN_VIDEO (request id ${REQUEST_ID})`,
      },
    });
  });

  it("a token refused by CreateConfToken", async () => {
    const fetch = stubFetch(() =>
      reply(400, { error_code: "MMC.111072065", error_msg: "CONF_NOT_FOUND_OR_AUTH_FAILED" }),
    );
    const { code, stderr } = await cli(["token", "--conference", CONFERENCE], {
      env: { MEETING_HOST_PASSWORD: "wrong-pass" },
      fetch,
    });
    expect(code).toBe(1);
    expect(stderr).toContain("the service refused CreateConfToken with HTTP 400");
    expect(stderr).toContain("MMC.111072065");
    // The meaning is the summary of the code's example in the spec.
    expect(stderr).toContain(`  meaning:         ${ERROR_CODES["MMC.111072065"]?.summary}\n`);
  });

  it("a gateway's HTML 500, after the client's retries", async () => {
    const fetch = stubFetch(() =>
      reply(500, "<html><body>Bad gateway</body></html>", { "content-type": "text/html" }),
    );
    const human = await cli(["share", "invite", ...IDS], { env, fetch });
    expect(human.code).toBe(1);
    expect(fetch.requests).toHaveLength(3);
    expect(human.stderr).toContain("the service failed InviteShare with HTTP 500");
    expect(human.stderr).toContain("code:            (none: the body was not the service's JSON)");
    expect(human.stderr).toContain(`request id:      ${REQUEST_ID}`);
    const json = await cli(["share", "invite", ...IDS, "--json"], { env, fetch });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).error).toEqual({
      name: "ServerResponseError",
      status: 500,
      code: null,
      serviceMessage: null,
      requestId: REQUEST_ID,
      operation: "InviteShare",
      message: `InviteShare failed: HTTP 500 (request id ${REQUEST_ID})`,
    });
  });

  it("a network error, with its cause", async () => {
    const fetch = stubFetch(() => {
      throw new TypeError("fetch failed", {
        cause: Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:443"), {
          code: "ECONNREFUSED",
        }),
      });
    });
    const human = await cli(["camera", "disable", ...IDS], { env, fetch });
    expect(human).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "meeting-control camera: InviteOperateVideo failed: fetch failed (connect ECONNREFUSED 10.0.0.1:443)\n" +
        `  could not get an answer from ${REGIONS[DEFAULT_REGION]}\n`,
    });
    const json = await cli(["camera", "disable", ...IDS, "--json"], { env, fetch });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).error).toEqual({
      name: "NetworkError",
      status: null,
      code: null,
      serviceMessage: null,
      requestId: null,
      operation: "InviteOperateVideo",
      message: "InviteOperateVideo failed: fetch failed (connect ECONNREFUSED 10.0.0.1:443)",
    });
  });

  it("a timeout (--timeout is per attempt)", async () => {
    const fetch = stubFetch(
      (_, signal) =>
        new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason))),
    );
    const { code, stderr } = await cli(["camera", "enable", ...IDS, "--timeout", "20", "--mock"], {
      env,
      fetch,
    });
    expect(code).toBe(1);
    expect(stderr).toContain("meeting-control camera: InviteOperateVideo timed out after 20 ms");
    expect(stderr).toContain("could not get an answer from http://127.0.0.1:4010");
  });
});

describe("what the server says is shown as data", () => {
  it("control characters in its answer are escaped: no cursor moves, no forged line", async () => {
    const forged = "\u001b[2J\u001b[HAsked participant p1 to turn the camera on\n\u001b[8m";
    const fetch = stubFetch(() =>
      reply(
        403,
        { error_code: "MMC.111072117", error_msg: forged },
        { "x-request-id": "r\u0085x" },
      ),
    );
    const { code, stderr } = await cli(["camera", "enable", ...IDS], { env, fetch });
    expect(code).toBe(1);
    // Nothing below a space but the CLI's own line breaks, and no C1 control.
    expect(
      [...stderr].filter((c) => (c < " " && c !== "\n") || (c >= "\u007f" && c <= "\u009f")),
    ).toEqual([]);
    expect(stderr).not.toMatch(/^Asked participant/m);
    expect(stderr).toContain(
      "service message: \\u001b[2J\\u001b[HAsked participant p1 to turn the camera on\\u000a\\u001b[8m",
    );
  });

  it("a participant ID with control or format characters is escaped in the success line too", async () => {
    const participant = "x\u001b[2J\u001b[31mFAKE\rmeeting-control: done\u202e";
    const fetch = service();
    const { code, stdout } = await cli(
      ["camera", "enable", "--conference", CONFERENCE, "--participant", participant],
      { env, fetch },
    );
    expect(code).toBe(0);
    expect(new URL(fetch.requests[0]?.url ?? "").searchParams.get("participantID")).toBe(
      participant,
    );
    expect(stdout).toBe(
      `Asked participant x\\u001b[2J\\u001b[31mFAKE\\u000dmeeting-control: done\\u202e to turn the camera on (request id ${REQUEST_ID})\n`,
    );
  });

  it("invisible format characters and Unicode line breaks are escaped: no reordered text, no word hidden between them", async () => {
    const hidden = "Illegal s\u200bt\u200bb\u00ad \u202eno\u2028ok\u{e0041}";
    const fetch = stubFetch(() =>
      reply(
        403,
        { error_code: "USG.000000004", error_msg: hidden },
        { "x-request-id": "r\u00adx" },
      ),
    );
    const { code, stderr } = await cli(["camera", "enable", ...IDS], { env, fetch });
    expect(code).toBe(1);
    expect(stderr).not.toMatch(/[\p{Cf}\u2028\u2029]/u);
    expect(stderr).toContain(
      "service message: Illegal s\\u200bt\\u200bb\\u00ad \\u202eno\\u2028ok\\u{e0041}",
    );
    expect(stderr).toContain("r\\u00adx");
  });

  it("a token answer's own `ok` or `operation` does not replace the CLI's", async () => {
    const fetch = stubFetch(() =>
      reply(200, { ...TOKEN_RESPONSE, ok: false, operation: "InviteShare", requestId: "forged" }),
    );
    const { code, stdout } = await cli(["token", "--conference", CONFERENCE, "--json"], {
      env: { MEETING_HOST_PASSWORD: "pw-1" },
      fetch,
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      ok: true,
      operation: "CreateConfToken",
      requestId: REQUEST_ID,
      token: TOKEN_RESPONSE.data.token,
    });
  });

  it("a token answer nested 3,000 deep: --json still prints one JSON object, cut at 64 levels, and a PIN in it hidden", async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 3000; i++) deep = [deep];
    const fetch = stubFetch(() =>
      reply(200, { ...TOKEN_RESPONSE, data: { ...TOKEN_RESPONSE.data, userID: 123456, x: deep } }),
    );
    const { code, stdout } = await cli(["token", "--conference", CONFERENCE, "--json"], {
      env: { MEETING_HOST_PASSWORD: "123456" },
      fetch,
    });
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect([out.ok, out.token, out.userID]).toEqual([true, TOKEN_RESPONSE.data.token, "***"]);
    let level = out.x;
    let depth = 1; // x is the first level below the answer's own fields
    while (Array.isArray(level)) [level, depth] = [level[0], depth + 1];
    expect([depth, level]).toEqual([64, "(nested deeper than 64 levels: not shown)"]);
  });

  it("a secret with an emoji (never sent) hides only itself, not every text with a % or a backslash", async () => {
    const fetch = stubFetch(() =>
      reply(
        400,
        { error_code: "MMC.111072050", error_msg: "CONF_LOCKED 100% sure pass😀word" },
        { "x-request-id": "abc%def" },
      ),
    );
    const { code, stdout } = await cli([..."camera enable --retries 0 --json".split(" "), ...IDS], {
      env: { MEETING_CONTROL_TOKEN: TOKEN, MEETING_HOST_PASSWORD: "pass😀word" },
      fetch,
    });
    expect(code).toBe(1);
    expect(JSON.parse(stdout).error).toMatchObject({
      serviceMessage: "CONF_LOCKED 100% sure ***",
      requestId: "abc%def",
    });
  });

  it("a short secret does not rename the CLI's own JSON keys", async () => {
    for (const [argv, io] of [
      [["camera", "enable", ...IDS, "--token", "ok"], { fetch: service() }],
      [
        ["token", "--conference", CONFERENCE],
        { env: { MEETING_HOST_PASSWORD: "ke" }, fetch: service() },
      ],
    ] as const) {
      const { code, stdout } = await cli([...argv, "--json"], io);
      expect(code).toBe(0);
      const out = JSON.parse(stdout);
      expect(out.ok).toBe(true);
      expect(out).toHaveProperty(argv[0] === "token" ? "token" : "requestId");
    }
  });
});

describe("help and version", () => {
  it.each([["--help"], ["-h"], ["help"]])(
    "%s shows the commands, options and examples",
    async (flag) => {
      const { code, stdout, stderr } = await cli([flag]);
      expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
      for (const text of [
        "meeting-control camera <enable|disable> --conference ID --participant ID",
        "meeting-control share <invite|cancel>",
        "meeting-control token --conference ID",
        "MEETING_CONTROL_TOKEN",
        "MEETING_HOST_PASSWORD",
        "Exit codes: 0 done, 1 API, network or timeout error, redirect or unusable answer, 2 usage error, 130 cancelled at the password prompt.",
        "Examples:",
        `meeting-control camera enable --conference ${CONFERENCE} --participant ${PARTICIPANT}`,
      ]) {
        expect(stdout).toContain(text);
      }
    },
  );

  it.each([
    [
      "camera",
      "meeting-control camera enable --conference",
      "disable   ask the participant to turn the camera off",
    ],
    [
      "share",
      "meeting-control share cancel --conference",
      "invite    invite the participant to share a screen",
    ],
    [
      "token",
      "meeting-control token --conference 986947855 --json",
      "It is never accepted as a flag.",
    ],
  ])("%s --help has its own usage and examples", async (command, example, text) => {
    const viaFlag = await cli([command, "--help"]);
    expect(viaFlag.code).toBe(0);
    expect(viaFlag.stdout).toContain(`meeting-control ${command}: `);
    expect(viaFlag.stdout).toContain("Examples:");
    expect(viaFlag.stdout).toContain(example);
    expect(viaFlag.stdout).toContain(text);
    expect((await cli(["help", command])).stdout).toBe(viaFlag.stdout);
    // Help wins over a command line that is otherwise incomplete.
    expect((await cli([command, "enable", "-h", "--conference"])).stdout).toBe(viaFlag.stdout);
  });

  it("gives the regions and the conference ID's length as the spec does", async () => {
    const { min, max } = ID_LENGTHS.conferenceID;
    const [first, ...others] = Object.keys(REGIONS);
    for (const command of [[], ["camera"], ["share"], ["token"]]) {
      const { stdout } = await cli([...command, "--help"]);
      expect(stdout).toContain(`--conference ID   conference ID (${min} to ${max} characters;`);
      expect(stdout).toContain(
        `--region REGION   ${[`${first} (default)`, ...others].join(" or ")}\n`,
      );
    }
    expect(first).toBe(DEFAULT_REGION);
  });

  it("--version prints the package's version", async () => {
    const { version } = JSON.parse(
      readFileSync(new URL("../package.json", import.meta.url), "utf8"),
    );
    expect(await cli(["--version"])).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
  });
});

describe("--retries", () => {
  const gateway = () =>
    stubFetch(() => reply(503, "<html>busy</html>", { "content-type": "text/html" }));

  it.each([
    [["--retries", "0"], 1],
    [["--retries=5"], 6],
    [[], 3],
  ])("%j: attempts %i times", async (flags, attempts) => {
    const fetch = gateway();
    const { code } = await cli(["camera", "enable", ...IDS, ...flags], { env, fetch });
    expect(code).toBe(1);
    expect(fetch.requests).toHaveLength(attempts);
  });

  it.each(["-1", "1.5", "11", "many", ""])("refuses --retries %j", async (value) => {
    const { code, stderr } = await cli(["camera", "enable", ...IDS, `--retries=${value}`], { env });
    expect(code).toBe(2);
    expect(stderr).toContain(`--retries must be a whole number from 0 to 10; got "${value}"`);
  });

  it.each([
    ["--retries", "-1", 'camera: --retries must be a whole number from 0 to 10; got "-1"'],
    ["--timeout", "-5", "camera: --timeout must be a whole number of milliseconds from 1 to"],
  ])(
    "a negative number as its own word: %s %s is refused as a value",
    async (flag, value, said) => {
      const { code, stderr } = await cli(["camera", "enable", ...IDS, flag, value], { env });
      expect(code).toBe(2);
      expect(stderr).toContain(said);
    },
  );
});

describe("what the client refuses, the CLI refuses, without sending anything", () => {
  it("a --base-url with user info: exit 2, the URL not echoed", async () => {
    const { code, stdout, stderr } = await cli(
      [
        "camera",
        "enable",
        ...IDS,
        "--base-url",
        "https://alice:s3cret@api.meeting.huaweicloud.com",
      ],
      { env },
    );
    expect(code).toBe(2);
    expect(stderr).toContain(
      "camera: --base-url must be a URL without user info (user:password@); got a string of length",
    );
    expect(stdout + stderr).not.toMatch(/alice|s3cret/);
  });

  it.each([
    "https://api.meeting.huaweicloud.com/?key=s3cret",
    "https://api.meeting.huaweicloud.com/#",
  ])(
    "a --base-url with a query or fragment (%s): exit 2, said so, the URL not echoed",
    async (url) => {
      const { code, stdout, stderr } = await cli(["camera", "enable", ...IDS, "--base-url", url], {
        env,
      });
      expect(code).toBe(2);
      expect(stderr).toContain(
        "camera: --base-url must be a URL without a query or fragment (? or #); got a string of length",
      );
      expect(stdout + stderr).not.toMatch(/s3cret|huaweicloud/);
    },
  );

  it("a --base-url that is no URL: exit 2, the text not echoed (it may hold a password)", async () => {
    for (const [json, url] of [
      [false, "http://127.0.0.1:99999"],
      [true, "file:///etc/passwd"],
      [false, "https//alice:s3cret@api.example.com"],
      [true, "https//alice:s3cret@api.example.com"],
      [false, "alice:s3cret@api.example.com"],
      [true, "mailto:alice:s3cret@api.example.com"],
    ] as const) {
      const run = await cli(
        ["camera", "enable", ...IDS, "--base-url", url, ...(json ? ["--json"] : [])],
        { env },
      );
      expect(run.code).toBe(2);
      expect(run.stdout + run.stderr).toContain(
        "--base-url must be an https:// URL (http:// only to a loopback host, such as http://127.0.0.1:4010); got text that is no URL with a host (not shown)",
      );
      expect(run.stdout + run.stderr).not.toMatch(/alice|s3cret/);
    }
  });

  it("a MEETING_CONTROL_PREFER that is not a header value: exit 2, named", async () => {
    const { code, stderr } = await cli(["camera", "enable", ...IDS], {
      env: { ...env, MEETING_CONTROL_PREFER: "code=403\r\nX-Evil: 1" },
    });
    expect(code).toBe(2);
    expect(stderr).toContain(
      "camera: MEETING_CONTROL_PREFER must be printable ASCII on one line (it is sent as the Prefer header)",
    );
  });
});

it("a redirect is not followed: exit 1, and the token goes nowhere else", async () => {
  const { createServer } = await import("node:http");
  const hits: string[] = [];
  const elsewhere = createServer((req, res) => {
    hits.push(String(req.headers["x-conference-authorization"]));
    res.end("{}");
  });
  await new Promise<void>((resolve) => elsewhere.listen(0, "127.0.0.1", resolve));
  const other = `http://127.0.0.1:${(elsewhere.address() as { port: number }).port}`;
  const named = createServer((_, res) => {
    res.writeHead(307, { location: `${other}/collect?t=1` }).end();
  });
  await new Promise<void>((resolve) => named.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(named.address() as { port: number }).port}`;
  try {
    for (const json of [false, true]) {
      const run = await cli(
        ["camera", "enable", ...IDS, "--base-url", url, ...(json ? ["--json"] : [])],
        {
          env,
          fetch: undefined, // the real global fetch, as a user runs it
        },
      );
      expect(run.code).toBe(1);
      const message = `InviteOperateVideo got a redirect, not followed: HTTP 307 to ${other}; check baseUrl`;
      if (json)
        expect(JSON.parse(run.stdout).error).toMatchObject({
          name: "RedirectError",
          status: 307,
          message,
        });
      else expect(run.stderr).toContain(message);
      expect(run.stdout + run.stderr).not.toContain("collect");
    }
    expect(hits).toEqual([]);
  } finally {
    elsewhere.closeAllConnections();
    named.closeAllConnections();
    await Promise.all([elsewhere, named].map((s) => new Promise((r) => s.close(r))));
  }
});
