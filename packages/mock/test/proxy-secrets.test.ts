// Proxy mode never shows a credential: not in the report, a log line, a printed line or a
// header it adds, even when the upstream echoes it; secrets with `"`, `\` and Unicode.
import { describe, expect, it } from "vitest";
import { lineOf, summaryOf } from "../src/index.js";
import { TOKEN as TOKEN_PATH, VIDEO } from "./helpers.js";
import { ISSUED, ISSUED_AS_TEXT, ISSUED_BOM, rfc3986, useProxy } from "./proxy-upstream.js";

const proxy = useProxy();
// Header values travel as Latin-1: a raw secret stays in it; Unicode goes in `Basic` (UTF-8).
const RAW_TOKEN = 'tok"en\\-ÿé-42';
const UNICODE_TOKEN = 'tøken-"\\-🙂-ключ';
const PASSWORD = 'p"a\\ss-ñ-77';
const basic = (token: string) => `Basic ${Buffer.from(token, "utf8").toString("base64")}`;

/** Every form of `secret` a leak could take: raw, JSON-escaped, \u-escaped, base64. */
function forms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const escaped = json.replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return [secret, json, escaped, Buffer.from(secret, "utf8").toString("base64")];
}

function expectNoSecret(text: string, secrets: string[]) {
  for (const secret of secrets) for (const form of forms(secret)) expect(text).not.toContain(form);
}

const echoed = (auth: Record<string, string>, path = VIDEO, method = "PUT") =>
  fetch(proxy.mock.url + path, {
    method,
    headers: { "content-type": "application/json", "x-answer": "echo", ...auth },
    body: method === "PUT" ? '{"status": 1}' : undefined,
  }).then(async (r) => ({ status: r.status, headers: r.headers, text: await r.text() }));

describe("with an upstream that echoes the credentials", () => {
  it("the caller gets the echo, and nothing the proxy shows or adds holds a secret", async () => {
    const answers = [
      await echoed({ "x-conference-authorization": RAW_TOKEN }),
      await echoed({ "x-conference-authorization": basic(UNICODE_TOKEN) }),
      await echoed({ "x-password": PASSWORD, "x-login-type": "1" }, TOKEN_PATH, "GET"),
    ];
    // The upstream's answer is unchanged: the echo is there for the caller.
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401]);
    const messages = answers.map((a) => JSON.parse(a.text).error_msg);
    expect(messages).toEqual(
      [RAW_TOKEN, UNICODE_TOKEN, PASSWORD].map((s) => `token ${s} is not valid`),
    );
    expect(answers[1]?.headers.get("x-echo")).toBe(basic(UNICODE_TOKEN));
    const report = proxy.mock.report();
    expect(report.violations).toHaveLength(3);
    expect(report.violations.map((e) => e.requestId)).toEqual(Array(3).fill("[redacted]"));
    const added = answers.map((a) => a.headers.get("sl-violations") ?? "");
    expect(added.every(Boolean)).toBe(true);
    const shown = [
      JSON.stringify(report),
      JSON.stringify(await fetch(`${proxy.mock.adminUrl}/violations`).then((r) => r.json())),
      summaryOf(report),
      ...report.violations.map(lineOf),
      ...added,
      ...proxy.lines,
      ...proxy.logs,
    ].join("\n");
    expectNoSecret(shown, [RAW_TOKEN, UNICODE_TOKEN, basic(UNICODE_TOKEN), PASSWORD]);
    // The log line names the upstream's request id, here the echo, redacted.
    expect(proxy.logs.filter((l) => l.includes("→ 401 "))).toEqual(
      Array(3).fill(expect.stringContaining("X-Request-Id [redacted]")),
    );
  });

  it("an answer within the contract that echoes the token as its request id: counted, and the log line redacts it", async () => {
    const answer = await fetch(proxy.mock.url + VIDEO, {
      method: "PUT",
      headers: {
        "content-type": "application/json",
        "x-answer": "echo-ok",
        "x-conference-authorization": RAW_TOKEN,
      },
      body: '{"status": 1}',
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("sl-violations")).toBeNull();
    const report = proxy.mock.report();
    expect(report).toMatchObject({ forwarded: 1, left: 0, violations: [] });
    expect(proxy.lines).toEqual([]);
    expect(proxy.logs.filter((l) => l.includes("→ 200 "))).toEqual([
      expect.stringContaining("X-Request-Id [redacted]"),
    ]);
    expectNoSecret([JSON.stringify(report), ...proxy.logs].join("\n"), [RAW_TOKEN]);
  });

  it("a redirect's host that is the token in base64url is redacted as written, before a URL parser lowercases it", async () => {
    const token = "Sekrit_Tok3n99";
    const answer = await fetch(proxy.mock.url + VIDEO, {
      method: "PUT",
      redirect: "manual",
      headers: {
        "content-type": "application/json",
        "x-answer": "echo-base64-host",
        "x-conference-authorization": token,
      },
      body: '{"status": 1}',
    });
    expect(answer.status).toBe(302);
    const report = JSON.stringify(proxy.mock.report());
    // (Read as base64, the redaction takes the `//` before it too.)
    expect(report).toMatch(/one to http:(\/\/)?\[redacted\]\.evil\.example was passed back/);
    const lowered = Buffer.from(token).toString("base64url").toLowerCase();
    expect(report + (answer.headers.get("sl-violations") ?? "")).not.toContain(lowered);
  });

  it("an echo percent-encoded (`*` as %2A too), or lowercased in a redirect's host, is removed too", async () => {
    const MIXED = "MixedCase*Token42";
    for (const token of [RAW_TOKEN, MIXED]) {
      const answer = await fetch(proxy.mock.url + VIDEO, {
        method: "PUT",
        redirect: "manual",
        headers: {
          "content-type": "application/json",
          "x-answer": "echo-encoded",
          "x-conference-authorization": token,
        },
        body: '{"status": 1}',
      });
      expect(answer.status).toBe(302);
      expect(answer.headers.get("x-request-id")).toBe(rfc3986(token));
    }
    const report = proxy.mock.report();
    expect(report.violations.map((e) => e.requestId)).toEqual(["[redacted]", "[redacted]"]);
    // The redirect's host is named in the entry, with the token in it redacted.
    expect(JSON.stringify(report.violations[1])).toContain("http://[redacted].example");
    const shown = [
      JSON.stringify(report),
      JSON.stringify(await fetch(`${proxy.mock.adminUrl}/violations`).then((r) => r.json())),
      summaryOf(report),
      ...report.violations.map(lineOf),
      ...proxy.lines,
      ...proxy.logs,
    ].join("\n");
    for (const token of [RAW_TOKEN, MIXED])
      for (const form of [token, rfc3986(token), encodeURIComponent(token), token.toLowerCase()])
        expect(shown).not.toContain(form);
    expect(proxy.logs.filter((l) => l.includes("→ 302 "))).toEqual(
      Array(2).fill(expect.stringContaining("X-Request-Id [redacted]")),
    );
  });

  it("a credential of 13,000 characters: answered, reported, and removed (no pattern too large to compile)", async () => {
    const long = "a ".repeat(6500).trim();
    const answer = await fetch(proxy.mock.url + VIDEO, {
      method: "PUT",
      headers: {
        "content-type": "application/json",
        "x-answer": "teapot",
        "x-conference-authorization": long,
      },
      body: '{"status": 1}',
    });
    // The upstream's answer, which leaves the contract: the report keeps an entry, redacted.
    expect(answer.status).toBe(418);
    const report = proxy.mock.report();
    expect(report.violations).toHaveLength(1);
    const shown = [JSON.stringify(report), ...proxy.lines, ...proxy.logs].join("\n");
    expect(shown).not.toContain("a a a a");
    expect(shown).not.toContain("a%20a%20a");
  });

  it("each token of a repeated X-Conference-Authorization is removed when one is echoed", async () => {
    const [first, second] = ["supersecrettoken0123456789", "othertoken987654321"];
    const headers = new Headers({ "content-type": "application/json", "x-answer": "echo-first" });
    headers.append("x-conference-authorization", first);
    headers.append("x-conference-authorization", second);
    const body = '{"status": 1}';
    const answer = await fetch(proxy.mock.url + VIDEO, { method: "PUT", headers, body });
    expect(await answer.json()).toEqual({ error_msg: `token ${first} is not valid` });
    const [entry] = proxy.mock.violations();
    expect(entry).toMatchObject({ status: 401, requestId: "[redacted]" });
    expectNoSecret(
      [JSON.stringify(proxy.mock.report()), ...proxy.lines, ...proxy.logs].join("\n"),
      [first, second],
    );
  });

  it("a token the upstream issued is removed too", async () => {
    const answer = await fetch(proxy.mock.url + TOKEN_PATH, {
      headers: { "x-password": PASSWORD, "x-login-type": "1", "x-answer": "issue" },
    });
    expect(await answer.json()).toEqual({ data: { token: ISSUED, expireTime: "soon" } });
    const [entry] = proxy.mock.violations();
    expect(entry).toMatchObject({
      operation: "CreateConfToken",
      status: 200,
      requestId: "[redacted]",
    });
    expectNoSecret(
      JSON.stringify(proxy.mock.report()) + (answer.headers.get("sl-violations") ?? ""),
      [ISSUED, PASSWORD],
    );
  });

  it.each([
    ["issue", ISSUED],
    ["issue-as-text", ISSUED_AS_TEXT],
    ["issue-bom", ISSUED_BOM],
  ])(
    "a token the upstream issued (%s) is not shown in a 404 or a log line, though the request does not carry it",
    async (how, token) => {
      const issued = await fetch(proxy.mock.url + TOKEN_PATH, {
        headers: { "x-password": PASSWORD, "x-login-type": "1", "x-answer": how },
      });
      expect(JSON.parse(await issued.text()).data.token).toBe(token);
      // A client that put the token in a path of its own, with no credential header.
      const answer = await fetch(`${proxy.mock.url}/v1/mmc/control/${encodeURIComponent(token)}`);
      expect(answer.status).toBe(404);
      const text = await answer.text();
      expect(JSON.parse(text).error_msg).toContain("[redacted]");
      expect(proxy.logs.at(-1)).toMatch(/→ 404/);
      expectNoSecret([text, ...proxy.logs].join("\n"), [token]);
    },
  );
});
