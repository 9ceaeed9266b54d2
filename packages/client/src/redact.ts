/** Replaces every secret in a string with `***`; anything but a string becomes `undefined`. */
export interface Redact {
  (text: string): string;
  (value: unknown): string | undefined;
}

/**
 * A `Redact` for every form of `secrets`: as given, the other side of `Basic` (base64 both ways),
 * percent-encoded (by any encoder, wholly or in part) and form-encoded, in any letter case (a
 * URL's host and a header's name come back lowercased). Applied to each string a server or the
 * runtime hands an error, since a server may echo the credential it was sent.
 */
export function redactor(secrets: readonly unknown[]): Redact {
  // The last one built is kept: a client asks for the same secrets' on every call that succeeded,
  // and building one (its forms and pattern) costs about 12 µs.
  const key = JSON.stringify(secrets);
  if (last?.[0] === key) return last[1];
  const forms: string[] = [];
  for (const secret of secrets) {
    if (typeof secret !== "string") continue;
    // The part after `Basic` even when it is not base64 (an empty one makes no form).
    const basic = /^Basic\s+(\S+)$/i.exec(secret)?.[1] ?? "";
    const texts = [secret, basic];
    try {
      texts.push(atob(basic));
    } catch {}
    // What was sent, the base64 after `Basic` and the token in it, each as it is and in base64:
    // whole (padded or not), or inside a longer base64 text at any of its three offsets (the
    // characters only its own bytes make, for a text of 6 characters or more: a shorter one's
    // are so few they would take letters out of words); in base64url's alphabet too.
    for (const text of texts) {
      forms.push(text);
      for (const k of [0, 1, 2])
        try {
          const base64 = btoa("\0".repeat(k) + text);
          forms.push(
            ...(k ? [] : [base64, base64.replace(/=+$/, "")]),
            base64.slice(k && k + 1, text[5] ? ((4 * (k + text.length)) / 3) | 0 : 0),
          );
        } catch {}
    }
  }
  // Longest first, so a form inside a longer one does not leave the rest of the longer showing.
  // Each character as itself (one but a letter or digit also backslash-escaped: JSON's `\"` and
  // `\\`), `+` and `/` also as base64url writes them (`-`, `_`) and a space as `+`. A string with
  // a `%` or a backslash in it gets the fuller pattern, built on first need (compiling it takes
  // 3 to 18 ms for a token and a host password): each character also as JSON's `\u00XX` or
  // percent-encoded (a character past ASCII as UTF-8), since encoders differ in what they escape
  // (`*` is `%2A` to some, a letter to a few). These come first, so a `%` of the secret is not
  // taken alone where `%25` stands for it.
  const sorted = [...new Set(forms)].filter(Boolean).sort((a, b) => b.length - a.length);
  const compile = (full: number) => {
    try {
      const found = new RegExp(
        sorted
          .map((form) =>
            form.replace(/./gs, (c) => {
              const hex = c.charCodeAt(0).toString(16).padStart(4, "0");
              return `(?:${full ? `\\\\u${hex}|${c > "~" ? encodeURIComponent(c) : `%${hex.slice(2)}`}|` : ""}${/[\dA-Z]/i.test(c) ? c : `\\\\?\\${c}`}${{ " ": "|\\+", "+": "|-", "/": "|_" }[c] ?? ""})`;
            }),
          )
          .join("|") || "(?!)",
        "gi",
      );
      found.test(""); // compiled now, where a pattern too large to compile throws
      return found;
    } catch {
      // Secrets too long for a pattern (thousands of characters): every line is hidden whole.
      return /.+/g;
    }
  };
  const patterns: RegExp[] = [];
  const redact = ((value: unknown) => {
    if (typeof value !== "string") return;
    const full = +/[%\\]/.test(value);
    patterns[full] ??= compile(full);
    return value.replace(patterns[full] as RegExp, "***");
  }) as Redact;
  last = [key, redact];
  return redact;
}
let last: [string, Redact] | undefined;

/**
 * A copy of an error's `cause` chain, five deep, redacted: each error's name, message and stack,
 * what Node's network errors tell (`code`, `errno`, `syscall`, `address`, `port`: a string or a
 * number) and an `AggregateError`'s `errors` (a host with several addresses), cleaned the same
 * way. A TypeError stays one, any other becomes an Error. The rest is left out, since a custom
 * fetch's error may carry the request and its headers (axios's `config`).
 */
export function clean(error: unknown, redact: Redact, depth = 0): Error | undefined {
  if (!(error instanceof Error) || depth > 4) return;
  const cause = clean(error.cause, redact, depth + 1);
  const copy = new (error instanceof TypeError ? TypeError : Error)(
    redact(error.message),
    cause && { cause },
  ) as Error & Record<string, unknown>;
  for (const key of ["name", "stack", "code", "errno", "syscall", "address", "port"]) {
    const value = Object(error)[key];
    if (typeof value === "string" || typeof value === "number") copy[key] = redact(value) ?? value;
  }
  if (error instanceof AggregateError) {
    copy.errors = Array.from(Object(error.errors), (each) => clean(each, redact, depth + 1));
  }
  return copy;
}
