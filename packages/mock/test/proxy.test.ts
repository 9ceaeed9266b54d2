// Proxy mode against a loopback upstream that deviates on purpose: each deviation reported
// (operation, status, request id, JSON path), the caller getting the upstream's answer as it
// was, and an invalid request refused before it is forwarded. (An upstream that fails, or cannot
// be reached: proxy-failures.test.ts.)
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { brotliCompressSync, deflateSync, gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { lineOf, startMockServer } from "../src/index.js";
import { specDocument } from "../src/spec.js";
import { atHost, IDS, raw, TOKEN as TOKEN_PATH, VIDEO } from "./helpers.js";
import { OK, REQUEST_ID, useProxy } from "./proxy-upstream.js";

const proxy = useProxy();
const TOKEN = "Basic Y25yYjQy";

const put = (answer: string, body = '{"status": 0}', headers: Record<string, string> = {}) =>
  fetch(proxy.mock.url + VIDEO, {
    method: "PUT",
    redirect: "manual",
    headers: {
      "content-type": "application/json",
      "x-conference-authorization": TOKEN,
      "x-answer": answer,
      ...headers,
    },
    body,
  }).then(async (r) => ({ status: r.status, headers: r.headers, text: await r.text() }));

/** A valid PUT over node:http (`sendRaw`), answered as `answer` says. */
const putRaw = (answer: string, extra: Record<string, string> = {}) =>
  sendRaw(
    "PUT",
    VIDEO,
    {
      "content-type": "application/json",
      "x-conference-authorization": TOKEN,
      "x-answer": answer,
      ...extra,
    },
    '{"status": 0}',
  );

/** A request over node:http, which adds no header of its own, and its answer's raw parts. */
function sendRaw(method: string, path: string, headers: Record<string, string>, body?: string) {
  return new Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    raw: string[];
    bytes: Buffer;
  }>((resolve, reject) => {
    const req = request(proxy.mock.url + path, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          raw: res.rawHeaders.filter((_, i) => i % 2 === 0),
          bytes: Buffer.concat(chunks),
        }),
      );
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** The one entry the report kept, with the JSON paths it names. */
function onlyEntry() {
  const [entry, ...rest] = proxy.mock.violations();
  expect(rest).toEqual([]);
  if (!entry) throw new Error("the report kept no entry");
  return { ...entry, paths: entry.violations.map((v) => v.path) };
}

describe("a valid request", () => {
  it("goes upstream with its query, headers and body bytes unchanged, the token included", async () => {
    const body = '{ "status" : 1 }';
    const answer = await put("faithful", body, { "x-trace": "t-1" });
    expect(answer).toMatchObject({ status: 200, text: OK });
    expect(answer.headers.get("x-upstream")).toBe("yes");
    expect(answer.headers.get("x-request-id")).toBe(REQUEST_ID);
    expect(answer.headers.get("sl-violations")).toBeNull();
    const [got] = proxy.upstream.received;
    expect(got).toMatchObject({ method: "PUT", body, url: VIDEO });
    expect(got?.headers).toMatchObject({
      "x-conference-authorization": TOKEN,
      "x-trace": "t-1",
      "content-type": "application/json",
    });
    expect(proxy.mock.violations()).toEqual([]);
    expect(proxy.mock.report()).toMatchObject({ forwarded: 1, left: 0, refused: 0 });
  });

  it("in gzip or deflate then br is checked as it decodes, and goes upstream in the bytes it came in", async () => {
    const send = (body: Buffer, coding: string) =>
      fetch(proxy.mock.url + VIDEO, {
        method: "PUT",
        headers: {
          "content-type": "application/json",
          "content-encoding": coding,
          "x-conference-authorization": TOKEN,
          "x-answer": "faithful",
        },
        body: new Uint8Array(body),
      }).then(async (r) => [r.status, await r.text()]);
    const gzipped = gzipSync('{"status": 1}');
    const both = brotliCompressSync(deflateSync('{"status": 0}'));
    expect(await send(gzipped, "gzip")).toEqual([200, OK]);
    expect(await send(both, "deflate, br")).toEqual([200, OK]);
    expect(proxy.upstream.received.map((r) => [r.headers["content-encoding"], r.bytes])).toEqual([
      ["gzip", gzipped],
      ["deflate, br", both],
    ]);
    expect(proxy.mock.violations()).toEqual([]);
    // What it decodes to is judged: a status the spec does not have is refused, not forwarded.
    expect((await send(gzipSync('{"status": 7}'), "gzip"))[0]).toBe(400);
    expect(proxy.mock.report()).toMatchObject({ forwarded: 2, refused: 1 });
  });

  it("goes upstream with no header added (fetch added Accept, Accept-Language, Sec-Fetch-Mode, User-Agent, Accept-Encoding)", async () => {
    const answer = await putRaw("faithful");
    expect(answer.status).toBe(200);
    const [got] = proxy.upstream.received;
    expect(Object.keys(got?.headers ?? {}).sort()).toEqual([
      "connection",
      "content-length",
      "content-type",
      "host",
      "x-answer",
      "x-conference-authorization",
    ]);
  });

  it("a compressed answer comes back as it came, with its Content-Encoding, checked as it decodes", async () => {
    const answer = await putRaw("gzip", { "accept-encoding": "gzip" });
    expect(answer.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(answer.bytes).toString()).toBe(OK);
    expect(answer.headers["sl-violations"]).toBeUndefined();
    expect(proxy.mock.violations()).toEqual([]);
  });

  it("the upstream's CORS headers replace the mock's: one Access-Control-Allow-Origin, a browser's check passes", async () => {
    const answer = await putRaw("cors");
    const named = (name: string) => answer.raw.filter((line) => line.toLowerCase() === name);
    expect(named("access-control-allow-origin")).toHaveLength(1);
    expect(answer.headers["access-control-allow-origin"]).toBe("https://app.example");
    expect(named("access-control-expose-headers")).toHaveLength(1);
  });

  it("a 204 comes back with no Content-Length (RFC 9110 8.6)", async () => {
    const answer = await putRaw("no-content");
    expect(answer.status).toBe(204);
    expect(answer.headers["content-length"]).toBeUndefined();
  });

  it("goes upstream as it was checked: dot segments resolved, the query as a URL parser encodes it", async () => {
    // node:http sends the target as written (fetch would resolve it first).
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(proxy.mock.url, {
        method: "PUT",
        path: `/v1/mmc/control/conferences/participants/share/../video?${IDS}&note=o'k`,
        headers: { "content-type": "application/json", "x-conference-authorization": TOKEN },
      });
      req.on("response", (res) => res.resume().on("end", () => resolve(res.statusCode ?? 0)));
      req.on("error", reject);
      req.end('{"status": 0}');
    });
    expect(status).toBe(200);
    expect(proxy.upstream.received.map((r) => r.url)).toEqual([`${VIDEO}&note=o%27k`]);
    expect(proxy.mock.report()).toMatchObject({ forwarded: 1, refused: 0 });
  });

  it("goes upstream when its query names a server the spec lacks: __server is Prism's, not the service's", async () => {
    const target = `${VIDEO}&__server=https://elsewhere.example`;
    const answer = await fetch(proxy.mock.url + target, {
      method: "PUT",
      headers: { "content-type": "application/json", "x-conference-authorization": TOKEN },
      body: '{"status": 0}',
    });
    expect([answer.status, await answer.text()]).toEqual([200, OK]);
    expect(proxy.upstream.received.map((r) => r.url)).toEqual([target]);
    expect(proxy.mock.report()).toMatchObject({ forwarded: 1, refused: 0 });
  });
});

describe("a 200 of a control operation as the service documents it (x-body-optional)", () => {
  it.each([
    ["no-body", "", null],
    ["no-body-typed", "", "application/json"],
    ["untyped-object", "{}", null],
    ["json-string", '"ok"', "application/json"],
    ["json-array", "[]", "application/json"],
  ])("%s: passed back as it was, and counted within the contract", async (name, text, type) => {
    const answer = await put(name);
    expect(answer).toMatchObject({ status: 200, text });
    expect(answer.headers.get("content-type")).toBe(type);
    expect(answer.headers.get("sl-violations")).toBeNull();
    expect(proxy.mock.violations()).toEqual([]);
    expect(proxy.mock.report()).toMatchObject({ forwarded: 1, left: 0 });
    expect(proxy.lines).toEqual([]);
  });

  it("the same answers from CreateConfToken, whose 200 is not marked, are reported", async () => {
    const answer = await fetch(proxy.mock.url + TOKEN_PATH, {
      headers: { "x-password": "p-1234", "x-login-type": "1", "x-answer": "untyped-object" },
    });
    expect([answer.status, await answer.text()]).toEqual([200, "{}"]);
    expect(onlyEntry().paths).toContain("response.headers.content-type");
  });
});

describe("each deviation of the upstream is reported, and passed back unchanged", () => {
  const cases = [
    ["teapot", 418, '{"error_code":"X.418","error_msg":"teapot"}', "response.status"],
    ["json-typed-text", 200, "ok", "response.body"],
    ["untyped-text", 200, "ok", "response.headers.content-type"],
    ["no-body-html", 200, "", "response.headers.content-type"],
    ["no-error-code", 400, '{"error_msg":"bad"}', "response.body"],
    ["no-request-id", 200, OK, "response.headers.x-request-id"],
    ["html", 502, "<h1>Bad gateway</h1>", "response.status"],
  ] as const;
  it.each(cases)("%s: %i", async (name, status, text, path) => {
    const answer = await put(name);
    expect(answer.status).toBe(status);
    expect(answer.text).toBe(text);
    const entry = onlyEntry();
    expect(entry).toMatchObject({
      operation: "InviteOperateVideo",
      method: "PUT",
      path: "/v1/mmc/control/conferences/participants/video",
      status,
      forwarded: true,
      requestId: name === "no-request-id" ? null : REQUEST_ID,
    });
    expect(entry.paths).toContain(path);
    expect(entry.violations.every((v) => v.expected.length > 0)).toBe(true);
    expect(JSON.parse(answer.headers.get("sl-violations") ?? "[]")).toEqual(entry.violations);
    expect(proxy.lines.map((l) => JSON.parse(l))).toEqual(proxy.mock.violations());
  });

  it("a wrong content type: a 200 in text/plain", async () => {
    const answer = await put("plain");
    expect(answer).toMatchObject({ status: 200, text: "ok" });
    expect(answer.headers.get("content-type")).toBe("text/plain");
    expect(onlyEntry().paths).toContain("response.headers.content-type");
  });

  it("a Content-Type that does not parse is passed back and reported, not a 500", async () => {
    const answer = await put("bad-type");
    expect(answer).toMatchObject({ status: 200, text: OK });
    expect(answer.headers.get("content-type")).toBe("application/json, text/plain");
    expect(onlyEntry().paths).toContain("response.headers.content-type");
  });

  it("a 302 is passed back, not followed: nothing reaches the port it names", async () => {
    const answer = await put("redirect");
    expect(answer.status).toBe(302);
    expect(answer.headers.get("location")).toBe(`${proxy.upstream.trapUrl}/stolen`);
    const entry = onlyEntry();
    expect(entry).toMatchObject({ status: 302, requestId: REQUEST_ID });
    expect(entry.paths).toEqual(["response.status", "response.headers.location"]);
    expect(entry.violations[1]?.expected).toContain(proxy.upstream.trapUrl);
    // A redirect followed would have been answered by the trap, before the 302 came back.
    expect(proxy.upstream.trapped).toEqual([]);
  });
});

describe("credentials go to the upstream's origin only", () => {
  it("even when the request's target names another host", async () => {
    const trap = new URL(proxy.upstream.trapUrl);
    const head = `content-type: application/json\r\nx-conference-authorization: ${TOKEN}\r\ncontent-length: 13\r\n`;
    for (const target of [`http://${trap.host}${VIDEO}`, `//${trap.host}${VIDEO}`])
      await raw(
        proxy.mock.url,
        `PUT ${target} HTTP/1.1\r\nhost: ${trap.host}\r\n${head}\r\n{"status": 0}`,
      );
    expect(proxy.upstream.trapped).toEqual([]);
    expect(proxy.upstream.received.map((r) => r.url)).toEqual([VIDEO]);
  });
});

describe("an invalid request", () => {
  it("gets the service's 400 USG.000000003, is not forwarded, and is reported", async () => {
    const answer = await put("faithful", '{"status": 2}');
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({ error_code: "USG.000000003" });
    expect(proxy.upstream.received).toEqual([]);
    const entry = onlyEntry();
    expect(entry).toMatchObject({ forwarded: false, status: null, paths: ["request.body.status"] });
    expect(proxy.mock.report()).toMatchObject({ forwarded: 0, left: 0, refused: 1 });
  });

  it("with a body that is not JSON gets the service's 400, is not forwarded, and is reported", async () => {
    const answer = await put("faithful", '{"status": ');
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({ error_code: "USG.000000003" });
    expect(proxy.upstream.received).toEqual([]);
    expect(onlyEntry()).toMatchObject({ forwarded: false, status: null, paths: ["request.body"] });
    expect(proxy.mock.report()).toMatchObject({ forwarded: 0, left: 0, refused: 1 });
  });

  it("with a Content-Type that does not parse gets the service's 400, and is reported", async () => {
    const answer = await fetch(`${proxy.mock.url}${VIDEO}`, {
      method: "PUT",
      headers: {
        "content-type": "application/json, text/plain",
        "x-conference-authorization": TOKEN,
      },
      body: '{"status": 0}',
    });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ error_code: "USG.000000003" });
    expect(proxy.upstream.received).toEqual([]);
    expect(onlyEntry()).toMatchObject({
      forwarded: false,
      paths: ["request.headers.content-type"],
    });
    expect(proxy.mock.report()).toMatchObject({ forwarded: 0, left: 0, refused: 1 });
  });

  it("without a token gets the service's 401 and is not forwarded", async () => {
    const answer = await fetch(`${proxy.mock.url}${VIDEO}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: '{"status": 0}',
    });
    expect(answer.status).toBe(401);
    expect(await answer.json()).toMatchObject({ error_code: "MMC.111070111" });
    expect(proxy.upstream.received).toEqual([]);
  });

  it("on a path the spec lacks gets 404 and is not forwarded", async () => {
    const answer = await fetch(`${proxy.mock.url}/v1/elsewhere?${IDS}`);
    expect(answer.status).toBe(404);
    expect(proxy.upstream.received).toEqual([]);
  });
});

describe("the report", () => {
  it("is on the admin route, with the counts by operation and JSON path", async () => {
    await put("faithful");
    await put("no-error-code");
    await put("teapot");
    const report = await fetch(`${proxy.mock.adminUrl}/violations`).then((r) => r.json());
    expect(report).toEqual(proxy.mock.report());
    expect(report).toMatchObject({
      upstream: proxy.upstream.url,
      forwarded: 3,
      left: 2,
      operations: {
        InviteOperateVideo: {
          forwarded: 3,
          left: 2,
          paths: { "response.body": 1, "response.status": 1 },
        },
      },
    });
    expect(report.violations).toHaveLength(2);
    // A page of another site in the developer's browser can neither clear it nor read it.
    for (const method of ["DELETE", "GET"]) {
      const elsewhere = await fetch(`${proxy.mock.adminUrl}/violations`, {
        method,
        headers: { origin: "https://attacker.example" },
      });
      expect(elsewhere.status).toBe(403);
      expect((await elsewhere.json()).error_code).toBe("MOCK.FORBIDDEN_ORIGIN");
    }
    // Nor can a page that reaches it by DNS rebinding, under its own site's name.
    for (const method of ["DELETE", "GET"]) {
      const rebound = await atHost(`${proxy.mock.adminUrl}/violations`, "attacker.example", method);
      expect(rebound.status).toBe(403);
      expect(JSON.parse(rebound.body).error_code).toBe("MOCK.FORBIDDEN_HOST");
      expect(rebound.body).not.toContain("violations");
    }
    expect(proxy.mock.report().violations).toHaveLength(2);
    await fetch(`${proxy.mock.adminUrl}/violations`, { method: "DELETE" });
    expect(proxy.mock.report()).toMatchObject({ forwarded: 0, violations: [] });
  });
});

describe("an answer with thousands of violations", () => {
  it("keeps the first 50 and counts the rest, in the report and in the line printed", async () => {
    const answer = await fetch(`${proxy.mock.url}${TOKEN_PATH}`, {
      headers: { "x-password": "pw-many", "x-login-type": "1", "x-answer": "many" },
    });
    expect(answer.status).toBe(200);
    expect((await answer.json()).data.supportNotifyType).toHaveLength(5000);
    const entry = onlyEntry();
    expect(entry.violations).toHaveLength(50);
    // 5,000 items of the wrong type, and the token that is missing.
    expect(entry.more).toBe(5001 - 50);
    expect(entry.paths).toContain("response.body.data.supportNotifyType.0");
    expect(lineOf(entry)).toMatch(/; and 4951 more$/);
    expect(proxy.mock.report()).toMatchObject({ forwarded: 1, left: 1 });
  });
});

describe("the upstream", () => {
  it("is a region of the spec's servers, https://, or http:// to loopback only", async () => {
    const servers: { url: string; "x-region": string }[] = specDocument().servers;
    for (const server of servers) {
      const region = await startMockServer({ port: 0, proxy: server["x-region"] });
      await region.close();
      expect(region.upstream).toBe(server.url);
    }
    await expect(startMockServer({ port: 0, proxy: "http://example.com" })).rejects.toThrow(
      /https:\/\/ \(http:\/\/ only to a loopback host\)/,
    );
    await expect(
      startMockServer({ port: 0, proxy: "https://user:secret@example.com" }),
    ).rejects.toThrow(/without user info/);
    await expect(
      startMockServer({ port: 0, proxy: "cn-north-4", meetings: [] } as never),
    ).rejects.toThrow(/proxy and meetings cannot be used together/);
    await expect(startMockServer({ port: 0, proxy: "mars-1" })).rejects.toThrow(
      `regions: ${servers.map((s) => s["x-region"]).join(", ")}`,
    );
  });

  it("is refused when it is the mock's own address, which would forward to itself without end; the port is left free", async () => {
    const free = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    for (const [host, upstream] of [
      ["127.0.0.1", `http://127.0.0.1:${free}`],
      ["127.0.0.1", `http://localhost:${free}`],
      ["0.0.0.0", `http://127.0.0.1:${free}`],
    ] as const)
      await expect(startMockServer({ port: free, host, proxy: upstream })).rejects.toThrow(
        /is this mock's own address: it would forward every request to itself/,
      );
    // Another port on loopback is another server.
    const other = await startMockServer({ port: free, proxy: `http://127.0.0.1:${free + 1}` });
    await other.close();
  });
});
