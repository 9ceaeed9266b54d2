/** Replaces every secret in a string with `***`; anything but a string becomes `undefined`. */
export interface Redact {
  (text: string): string;
  (value: unknown): string | undefined;
}

/**
 * A `Redact` for every form of `secrets`: as given, the other side of `Basic` (base64 both ways),
 * percent-encoded and form-encoded, in any case (a URL's host and a header's name come back
 * lowercased). Applied to each string a server or the runtime hands an error, since a server may
 * echo the credential it was sent.
 */
export function redactor(secrets: readonly unknown[]): Redact {
  // The last one built is kept: a client asks for the same secrets' on every call that succeeded,
  // and building one (its forms and pattern) costs about 12 µs.
  const key = JSON.stringify(secrets);
  if (last?.[0] === key) return last[1];
  const forms: string[] = [];
  for (const secret of secrets) {
    if (typeof secret !== "string") continue;
    const basic = /^Basic\s+(\S+)$/i.exec(secret)?.[1];
    let other: string | undefined;
    try {
      other = basic ? atob(basic) : btoa(secret);
    } catch {}
    for (const form of [secret, basic, other]) {
      if (form)
        forms.push(form, encodeURIComponent(form), `${new URLSearchParams({ "": form })}`.slice(1));
    }
  }
  // Longest first, so a form inside a longer one does not leave the rest of the longer showing.
  const found = new RegExp(
    forms
      .sort((a, b) => b.length - a.length)
      .map((form) => form.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join("|") || "(?!)",
    "gi",
  );
  const redact = ((value: unknown) =>
    typeof value === "string" ? value.replace(found, "***") : undefined) as Redact;
  last = [key, redact];
  return redact;
}
let last: [string, Redact] | undefined;

/** Redacts the messages, stacks and codes of an error's `cause` chain, in place. */
export function scrub(error: unknown, redact: Redact) {
  for (let e = error, depth = 0; e instanceof Error && depth++ < 5; e = e.cause) {
    const coded = e as Error & { code?: unknown };
    try {
      coded.message = redact(coded.message);
      coded.stack = redact(coded.stack);
      if (typeof coded.code === "string") coded.code = redact(coded.code);
    } catch {} // a read-only message (a DOMException's) is the runtime's own: no echo in it
  }
  return error;
}
