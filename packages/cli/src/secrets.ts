// What of a command line is secret, and a sink that never prints it.
import { redactor } from "@meeting-control/client";
import type { Sink } from "./output.js";

/** Flags that would put the host password on the command line (ps, shell history). */
export const PASSWORD_FLAG = /^(host[-_]?)?(p|pass(wd|word)?|pwd?)$/i;

/** Values that follow a secret-bearing flag on the command line, to keep them out of any output. */
export function secretArguments(argv: readonly string[]): string[] {
  const found: string[] = [];
  argv.forEach((arg, index) => {
    const match = /^--?([^=]+)(?:=(.*))?$/s.exec(arg);
    if (!match?.[1] || !(match[1] === "token" || PASSWORD_FLAG.test(match[1]))) return;
    const at = match[2] === undefined ? index + 1 : index;
    const value = match[2] ?? argv[at];
    const next = argv[at + 1];
    // `--token Basic <base64>` unquoted: the base64, the secret itself, is the next word. The word
    // `Basic` is none: hidden, it would hide itself in the usage message that asks for quotes.
    if (value && /^basic$/i.test(value) && next) found.push(`Basic ${next}`);
    else if (value && (match[2] !== undefined || !value.startsWith("-"))) found.push(value);
  });
  return found;
}

/**
 * A sink that drops every form of `secrets` from what it writes: the client's `redactor` (as
 * given, either side of `Basic` base64, percent- and form-encoded, in any case). A JSON line is
 * redacted key by key and value by value, so that `"` or `\\` in a secret, which JSON escapes,
 * cannot hide it, and the line stays valid JSON; a number that holds a secret (a PIN as a host
 * password, echoed as a number) becomes the string "***". The CLI's own keys are kept as they are: a short
 * secret ("ok") would otherwise rename them. `secrets` is read at each
 * write, so a password typed at the prompt, pushed onto it later, is dropped too.
 */
export function redacting(sink: Sink, secrets: readonly (string | undefined)[]): Sink {
  let hide = redactor(secrets);
  const clean = (value: unknown): unknown =>
    typeof value === "string"
      ? hide(value)
      : // A numeric host password, echoed as a JSON number.
        typeof value === "number" && hide(String(value)) !== String(value)
        ? "***"
        : Array.isArray(value)
          ? value.map(clean)
          : value && typeof value === "object"
            ? Object.fromEntries(
                Object.entries(value).map(([k, v]) => [OWN_KEYS.has(k) ? k : hide(k), clean(v)]),
              )
            : value;
  const json = (text: string) => {
    try {
      return `${JSON.stringify(clean(JSON.parse(text)))}\n`;
    } catch {
      return hide(text);
    }
  };
  return {
    isTTY: sink.isTTY,
    write: (text: string) => {
      hide = redactor(secrets);
      return sink.write(text.startsWith("{") ? json(text) : hide(text));
    },
  };
}

/**
 * The keys the CLI's JSON output gives itself (see the README's `--json`), and `token`, which
 * scripts read (`jq -r .token`): names, never secrets. Keys from the server's answer (the token's
 * other fields) are redacted like any text of its.
 */
const OWN_KEYS = new Set([
  "ok",
  "operation",
  "requestId",
  "conferenceID",
  "participantID",
  "action",
  "error",
  "name",
  "status",
  "code",
  "serviceMessage",
  "message",
  "token",
  "expiresAt",
]);
