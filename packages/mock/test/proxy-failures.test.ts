// Proxy mode when the upstream fails: one that never answers, or stalls in its answer, gets the
// caller 504 once `upstreamTimeoutMs` has passed; one that breaks off its answer, or cannot be
// reached, or sends a body over 1 MiB, 502. Each is the mock's own answer, in the service's error shape, counted as no answer
// of the upstream's; and the proxy forwards the next request as usual.
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { startMockServer } from "../src/index.js";
import { UPSTREAM_TIMEOUT_MS } from "../src/proxy/forward.js";
import { JSON_AUTH, VIDEO } from "./helpers.js";
import { listen, OK, useProxy } from "./proxy-upstream.js";

// The default upstreamTimeoutMs, 30 s: the answers that must come in time have all of it, even on
// a busy machine, and the upstream that never answers has it pass on a fake clock the test moves.
const proxy = useProxy();

const put = (base: string, answer: string) =>
  fetch(base + VIDEO, {
    method: "PUT",
    headers: { ...JSON_AUTH, "x-answer": answer },
    body: '{"status": 0}',
  }).then(async (r) => ({ status: r.status, headers: r.headers, text: await r.text() }));

/** What the caller gets: the mock's own error, with a request id of its own. */
function expectOwnError(answer: Awaited<ReturnType<typeof put>>, status: number, body: object) {
  expect(answer.status).toBe(status);
  expect(answer.headers.get("content-type")).toBe("application/json");
  expect(JSON.parse(answer.text)).toEqual(body);
  expect(answer.headers.get("x-request-id")).toMatch(/^[0-9a-f]{32}$/);
  expect(answer.headers.get("sl-violations")).toBeNull();
}

describe("an upstream that fails", () => {
  const cases = [
    ["silent", 504, "MOCK.UPSTREAM_TIMEOUT", "did not answer in time"],
    ["stall", 504, "MOCK.UPSTREAM_TIMEOUT", "did not answer in time"],
    ["break-off", 502, "MOCK.UPSTREAM_UNREACHABLE", "broke off its answer"],
    ["huge", 502, "MOCK.UPSTREAM_UNREACHABLE", "answered with a body of over 1048576 bytes"],
  ] as const;
  it.each(cases)(
    "%s: %i, and the proxy forwards the next request",
    async (name, status, code, why) => {
      let failed: Awaited<ReturnType<typeof put>>;
      if (status === 504) {
        // Only the proxy's timer for this request (and what is idle) runs on the fake clock.
        vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
        onTestFinished(() => {
          vi.useRealTimers();
        });
        const answer = put(proxy.mock.url, name);
        // Not vi.waitFor: under fake timers it moves the clock at each check.
        while (!proxy.upstream.received.length) await new Promise((r) => setImmediate(r));
        await vi.advanceTimersByTimeAsync(UPSTREAM_TIMEOUT_MS);
        vi.useRealTimers();
        failed = await answer;
      } else failed = await put(proxy.mock.url, name);
      expectOwnError(failed, status, {
        error_code: code,
        error_msg: `The upstream ${proxy.upstream.url} ${why}`,
      });
      expect(proxy.upstream.received.map((r) => r.headers["x-answer"])).toEqual([name]);
      // The verbose log names the id the caller got.
      expect(proxy.logs).toEqual([
        expect.stringMatching(
          new RegExp(
            ` → ${status} \\(.* ms, X-Request-Id ${failed.headers.get("x-request-id")}\\)$`,
          ),
        ),
      ]);
      // Not an answer of the upstream's: neither forwarded nor leaving the contract.
      expect(proxy.mock.report()).toMatchObject({
        forwarded: 0,
        left: 0,
        refused: 0,
        violations: [],
      });

      const next = await put(proxy.mock.url, "faithful");
      expect(next).toMatchObject({ status: 200, text: OK });
      expect(next.headers.get("x-request-id")).not.toBe(failed.headers.get("x-request-id"));
      expect(proxy.mock.report()).toMatchObject({ forwarded: 1, left: 0 });
    },
  );
});

describe("an upstream that cannot be reached", () => {
  it("gets the caller 502, and the proxy answers the next request", async () => {
    const gone = await listen(() => {});
    await gone.close();
    const mock = await startMockServer({ port: 0, proxy: gone.url });
    onTestFinished(() => mock.close());
    const refused = await put(mock.url, "faithful");
    expectOwnError(refused, 502, {
      error_code: "MOCK.UPSTREAM_UNREACHABLE",
      error_msg: `The upstream ${gone.url} could not be reached`,
    });
    expect(mock.report()).toMatchObject({ forwarded: 0, left: 0 });
    const again = await put(mock.url, "faithful");
    expect(again.status).toBe(502);
    expect(again.headers.get("x-request-id")).not.toBe(refused.headers.get("x-request-id"));
  });
});

describe("a caller that leaves while the upstream is silent", () => {
  // The longest upstreamTimeoutMs: a request left to run for it would outlast the test.
  const silentUpstream = async () => {
    const arrived: Array<Promise<void>> = [];
    const seen: Array<() => void> = [];
    let next = new Promise<void>((resolve) => seen.push(resolve));
    const upstream = await listen((req) => {
      arrived.push(new Promise<void>((resolve) => req.socket.once("close", () => resolve())));
      seen.shift()?.();
      next = new Promise<void>((resolve) => seen.push(resolve));
    });
    onTestFinished(() => upstream.close());
    const mock = await startMockServer({
      port: 0,
      proxy: upstream.url,
      upstreamTimeoutMs: 2 ** 31 - 1,
    });
    return { mock, arrived, received: () => next };
  };

  it("hangs up: the upstream request is abandoned, not left to run", {
    timeout: 60_000,
  }, async () => {
    const { mock, arrived, received } = await silentUpstream();
    onTestFinished(() => mock.close());
    const caller = new AbortController();
    const call = fetch(mock.url + VIDEO, {
      method: "PUT",
      headers: JSON_AUTH,
      body: '{"status": 0}',
      signal: caller.signal,
    }).catch(() => "aborted");
    await received();
    caller.abort();
    expect(await call).toBe("aborted");
    await arrived[0]; // the proxy's connection to the upstream closes
    expect(mock.report()).toMatchObject({ forwarded: 0, left: 0 });
  });

  it("close(): the requests in flight to the upstream end with it", {
    timeout: 60_000,
  }, async () => {
    const { mock, arrived, received } = await silentUpstream();
    const call = put(mock.url, "silent").catch(() => "closed");
    await received();
    await mock.close();
    expect(await call).toBe("closed");
    await arrived[0];
  });
});

describe("upstreamTimeoutMs", () => {
  it("is a whole number of ms that a timer can hold", async () => {
    for (const upstreamTimeoutMs of [0, -1, 1.5, Number.NaN, 2 ** 31])
      await expect(
        startMockServer({ port: 0, proxy: proxy.upstream.url, upstreamTimeoutMs }),
      ).rejects.toThrow(
        `upstreamTimeoutMs must be a whole number of ms from 1 to 2147483647; got ${upstreamTimeoutMs}`,
      );
  });
});
