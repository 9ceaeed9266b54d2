// What of a command line is secret, and a sink that never prints it.
import { redactor } from "@meeting-control/client";
import { ACTIONS } from "./args.js";
import { OPERATIONS, type Sink } from "./output.js";

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

/** Secrets shorter than this are hidden where they stand alone only: "x" would take every x. */
const SHORT = 4;

/**
 * A function that hides every form of `secrets`: the client's `redactor` (as given, either side
 * of `Basic` base64, percent- and form-encoded, in any case) for those of SHORT characters or
 * more. A shorter one (its token inside `Basic …` too) is hidden as it is, percent-encoded or in
 * base64 only where no letter or digit is beside it: inside words it would garble the CLI's own
 * text ("e***amples" for a password "x"), and its place would tell the secret.
 */
function hider(secrets: readonly (string | undefined)[]): (text: string) => string {
  const long: string[] = [];
  const short: string[] = [];
  const astral: string[] = [];
  for (const secret of secrets) {
    if (!secret) continue;
    // One with a surrogate (an emoji) is never sent: the client refuses it in a header. The
    // client's pattern, built a UTF-16 unit at a time, cannot be made of it, and would hide every
    // text with a `%` or `\` whole: it is hidden as written and percent-encoded.
    if (/[\ud800-\udfff]/.test(secret)) {
      astral.push(secret);
      try {
        astral.push(encodeURIComponent(secret)); // throws for a lone surrogate
      } catch {}
      continue;
    }
    const basic = /^Basic\s+(\S+)$/i.exec(secret)?.[1];
    let inner: string | undefined;
    try {
      inner = basic && atob(basic);
    } catch {}
    if (basic && inner && inner.length < SHORT) {
      // The client's redactor would take the short token inside out of words: it gets the base64.
      (basic.length < SHORT ? short : long).push(basic);
      short.push(inner);
    } else (secret.length < SHORT ? short : long).push(secret);
  }
  const client = redactor(long);
  const redact = astral.length
    ? (text: string) => astral.reduce((t, secret) => t.replaceAll(secret, "***"), client(text))
    : client;
  if (!short.length) return redact;
  const forms = short.flatMap((secret) => {
    const found = [secret];
    try {
      found.push(encodeURIComponent(secret)); // throws for a lone surrogate
      const padded = btoa(secret); // throws past Latin-1
      found.push(padded, padded.replace(/=+$/, ""));
    } catch {}
    return found;
  });
  const alone = new RegExp(
    `(?<![\\p{L}\\p{N}])(?:${[...new Set(forms)]
      .sort((a, b) => b.length - a.length)
      .map((form) => form.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"))
      .join("|")})(?![\\p{L}\\p{N}])`,
    "giu",
  );
  return (text) => redact(text).replace(alone, "***");
}

/**
 * A sink that drops every form of `secrets` from what it writes (`hider`). A JSON line is
 * redacted key by key and value by value, so that `"` or `\\` in a secret, which JSON escapes,
 * cannot hide it, and the line stays valid JSON; a number that is a secret (a PIN as a host
 * password, echoed as a number) becomes the string "***", and one that only has its digits inside
 * (a time) is kept. The CLI's own keys are kept as they are: a short secret ("ok") would
 * otherwise rename them. `secrets` is read at each write, so a password typed at the prompt,
 * pushed onto it later, is dropped too. A write's `keep` (the new token `token` prints) is left
 * whole where it is a JSON string or a line's last word, even when a secret is inside it.
 */
export function redacting(sink: Sink, secrets: readonly (string | undefined)[]): Sink {
  let hide = hider(secrets);
  // Read here, not as the module loads: args.js, which holds the actions, imports this module.
  const own = ownValues();
  // Each secret written as a JSON number is (leading zeros allowed), as JSON writes it too ("007"
  // as 7, "-1e3" as -1000); not "0x10" or " 1 ", which JSON would not echo as a number.
  const numbers = () =>
    new Set(
      secrets.flatMap((s) =>
        s && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(s) ? [s, String(Number(s))] : [],
      ),
    );
  let pins = numbers();
  let keep: string | undefined;
  const clean = (value: unknown): unknown =>
    typeof value === "string"
      ? value === keep
        ? value
        : hide(value)
      : // A numeric host password, echoed as a JSON number.
        typeof value === "number" && pins.has(String(value))
        ? "***"
        : Array.isArray(value)
          ? value.map(clean)
          : value && typeof value === "object"
            ? Object.fromEntries(
                Object.entries(value).map(([k, v]) => [
                  OWN_KEYS.has(k) ? k : hide(k),
                  Object.hasOwn(own, k) && own[k]?.includes(v) ? v : clean(v),
                ]),
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
    write: (text: string, kept?: string) => {
      hide = hider(secrets);
      pins = numbers();
      keep = kept;
      if (text.startsWith("{")) return sink.write(json(text));
      // A line that ends in a word that is `keep` (`token:      <the token>`) keeps that word.
      const lines = text
        .split("\n")
        .map((line) =>
          kept && line.endsWith(` ${kept}`) ? hide(line.slice(0, -kept.length)) + kept : hide(line),
        );
      return sink.write(lines.join("\n"));
    },
  };
}

/**
 * The words the CLI's JSON output writes at these keys: the operation's name and the action.
 * They are kept whole, whatever secret is inside one (a password "token" would make
 * `CreateConf***`); only these exact words are, so a value of the server's is redacted still.
 */
const ownValues = (): Record<string, readonly unknown[]> => ({
  operation: Object.values(OPERATIONS),
  action: Object.values(ACTIONS).flat(),
});

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
