// Proxy mode's --forward-invalid: a request the spec refuses still goes upstream, and is
// reported. (The client through the proxy to the simulator is in packages/e2e.)
import { describe, expect, it } from "vitest";
import { VIDEO } from "./helpers.js";
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
