// Proxy mode's redactor on its own: every form an echo of a credential takes is removed, and
// nothing else of the text is.
import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { type HandlerSetup, hiderOf } from "../src/handle.js";
import { proxying } from "../src/proxy/http.js";
import { credentialsOf, IssuedTokens, redacting } from "../src/proxy/secrets.js";

const TOKEN = "tok*en/42 x=";
const redact = redacting(credentialsOf({ "x-conference-authorization": TOKEN }));

describe("the proxy's redactor", () => {
  it.each([
    ["as it is", `a ${TOKEN} b`],
    ["as encodeURIComponent writes it", `a ${encodeURIComponent(TOKEN)} b`],
    ["as RFC 3986's encoders write it (* as %2A)", "a tok%2Aen%2F42%20x%3D b"],
    ["as a URL's path holds it (/ itself)", "a tok*en/42%20x= b"],
    ["form-encoded (+ for a space)", "a tok*en%2F42+x%3D b"],
    ["in another case", `a ${TOKEN.toUpperCase()} b`],
  ])("removes the token %s, and keeps the rest", (_, text) => {
    expect(redact(text)).toBe("a [redacted] b");
  });

  it.each([0, 1, 2])(
    "removes the token inside a longer base64 text at byte offset %i, in base64url too",
    (offset) => {
      const echo = Buffer.from(`${"{".repeat(offset)}${TOKEN}"}`);
      for (const text of [echo.toString("base64"), echo.toString("base64url")])
        expect(redact(`a ${text} b`)).toBe("a [redacted] b");
    },
  );

  it("leaves the encoded text beside a hit as it is, and a text without a credential unchanged", () => {
    // The escapes right after the token's last one (会议已锁定) are characters of their own.
    const after = "%E4%BC%9A%E8%AE%AE%E5%B7%B2%E9%94%81%E5%AE%9A";
    expect(redact(`u?t=${encodeURIComponent(TOKEN)}${after}&x=1`)).toBe(
      `u?t=[redacted]${after}&x=1`,
    );
    const plain = `u?t=%E0%A4${after}+%zz%`;
    expect(redact(plain)).toBe(plain);
  });

  it("takes a credential of 13,000 characters and a thousand others without a pattern to compile", () => {
    const long = "a ".repeat(6500).trim();
    const many = Array.from({ length: 1000 }, (_, i) => `issued-token-${i}-${"z".repeat(30)}`);
    const redactAll = redacting([long, ...many]);
    expect(redactAll({ at: [`x ${encodeURIComponent(long)} y`, `${many[999]}!`] })).toEqual({
      at: ["x [redacted] y", "[redacted]!"],
    });
  });

  it("takes out overlapping finds of a secret that repeats itself, and long runs of them", () => {
    const periodic = redacting(["ababa"]);
    expect(periodic("x abababa y ababa")).toBe("x [redacted] y [redacted]");
    expect(periodic("abab ABABA-ababab")).toBe("abab [redacted]-[redacted]b");
    const long = redacting(["a".repeat(8000)]);
    expect(long(`${"a".repeat(65_000)} b ${"a".repeat(7999)}`)).toBe(
      `[redacted] b ${"a".repeat(7999)}`,
    );
  });

  it("keeps the upstream's issued tmpWsToken as well as its token, for redaction", () => {
    const issued = new IssuedTokens();
    issued.add({ data: { token: "issued-token-1", tmpWsToken: "ws-token-1" } });
    issued.add({ data: { token: 12 } });
    expect(issued.values()).toEqual(["issued-token-1", "ws-token-1"]);
  });

  it("one redactor for a request (its log line and report entry), built again once a token was issued since", () => {
    const proxy = proxying(new URL("https://upstream.example"), false);
    proxy.tokens.add({ data: { token: "issued-before-1" } });
    const req = { headers: { "x-conference-authorization": TOKEN } } as unknown as IncomingMessage;
    const hide = hiderOf({ proxy } as HandlerSetup, req);
    const first = hide();
    expect(hide()).toBe(first);
    expect(first(`${TOKEN} issued-before-1`)).toBe("[redacted] [redacted]");
    // The answer to this very request issues one after the redactor was first used.
    proxy.tokens.add({ data: { token: "issued-after-2" } });
    expect(hide()("a issued-after-2 b")).toBe("a [redacted] b");
    proxy.tokens.add({ data: { token: "issued-after-2" } });
    expect(hide()).toBe(hide());
  });
});
