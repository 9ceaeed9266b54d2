// What of a command line is secret, and a sink that never prints it.
import type { Sink } from "./output.js";

/** Flags that would put the host password on the command line (ps, shell history). */
export const PASSWORD_FLAG = /^(host-?)?(pass(word)?|pwd?)$/i;

/** Values that follow a secret-bearing flag on the command line, to keep them out of any output. */
export function secretArguments(argv: readonly string[]): string[] {
  const found: string[] = [];
  argv.forEach((arg, index) => {
    const match = /^--?([^=]+)(?:=(.*))?$/s.exec(arg);
    if (!match?.[1] || !(match[1] === "token" || PASSWORD_FLAG.test(match[1]))) return;
    const value = match[2] ?? argv[index + 1];
    if (value && (match[2] !== undefined || !value.startsWith("-"))) found.push(value);
  });
  return found;
}

/**
 * A sink that drops every form of `secrets` (as given, and either side of `Basic` base64) from
 * what it writes. A JSON line is redacted value by value, so that `"` or `\\` in a secret, which
 * JSON escapes, cannot hide it, and the line stays valid JSON.
 */
export function redacting(sink: Sink, secrets: readonly (string | undefined)[]): Sink {
  const forms = (secret: string) => {
    const basic = /^Basic\s+(\S+)$/i.exec(secret)?.[1];
    try {
      return [secret, ...(basic ? [basic, atob(basic)] : [btoa(secret)])];
    } catch {
      return [secret]; // not Latin-1, or not base64: the client refuses it anyway
    }
  };
  const hide = (text: string) =>
    secrets
      .flatMap((secret) => (secret ? forms(secret) : []))
      .sort((a, b) => b.length - a.length)
      .reduce((out, form) => (form ? out.replaceAll(form, "***") : out), text);
  const json = (text: string) => {
    try {
      const value = JSON.parse(text);
      return `${JSON.stringify(value, (_, v) => (typeof v === "string" ? hide(v) : v))}\n`;
    } catch {
      return hide(text);
    }
  };
  return {
    isTTY: sink.isTTY,
    write: (text: string) => sink.write(text.startsWith("{") ? json(text) : hide(text)),
  };
}
