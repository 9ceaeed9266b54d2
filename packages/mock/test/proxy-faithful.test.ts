// Proxy mode's --forward-invalid: a request the spec refuses still goes upstream, and is
// reported. (The client through the proxy to the simulator is in packages/e2e.)
import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { TOKEN, VIDEO } from "./helpers.js";
import { useProxy } from "./proxy-upstream.js";

describe("--forward-invalid", () => {
  const proxy = useProxy({ forwardInvalid: true });
  it("forwards a request the spec refuses, and still reports it", async () => {
    const answer = await fetch(proxy.mock.url + VIDEO, {
      method: "PUT",
      headers: { "content-type": "application/json", "x-conference-authorization": "t" },
      body: '{"status": 2}',
    });
    expect(answer.status).toBe(200);
    expect(proxy.upstream.received.map((r) => r.body)).toEqual(['{"status": 2}']);
    const [entry] = proxy.mock.violations();
    expect(entry).toMatchObject({ forwarded: true, status: 200 });
    expect(entry?.violations.map((v) => v.path)).toEqual(["request.body.status"]);
  });

  it("forwards a GET's body too (fetch dropped it, keeping its Content-Type)", async () => {
    // fetch would refuse a GET with a body: node:http sends one.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${proxy.mock.url}${TOKEN}`, {
        method: "GET",
        headers: {
          "x-password": "p",
          "x-login-type": "1",
          "content-type": "application/json",
          "content-length": "7",
        },
      });
      req.on("response", (res) => res.resume().on("end", () => resolve(res.statusCode ?? 0)));
      req.on("error", reject);
      req.end('{"a":1}');
    });
    expect(status).toBe(200);
    expect(proxy.upstream.received.map((r) => [r.method, r.body])).toEqual([["GET", '{"a":1}']]);
  });

  it("forwards a body that is not JSON as it came, and still reports it", async () => {
    const answer = await fetch(proxy.mock.url + VIDEO, {
      method: "PUT",
      headers: { "content-type": "application/json", "x-conference-authorization": "t" },
      body: '{"status": ',
    });
    expect(answer.status).toBe(200);
    expect(proxy.upstream.received.map((r) => r.body)).toEqual(['{"status": ']);
    const [entry] = proxy.mock.violations();
    expect(entry).toMatchObject({ forwarded: true, status: 200 });
    expect(entry?.violations.map((v) => v.path)).toEqual(["request.body"]);
  });
});
