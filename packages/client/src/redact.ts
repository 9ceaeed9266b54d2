/**
 * Replaces every form of `secrets` in a string with `***`: as given, the other side of `Basic`
 * (base64 both ways) and percent-encoded. Applied to each string a server or the runtime hands
 * an error, since a server may echo the credential it was sent.
 */
export function redactor(secrets: readonly unknown[]): (text: string) => string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== "string" || !secret) continue;
    const basic = /^Basic\s+(\S+)$/i.exec(secret)?.[1];
    let other: string | undefined;
    try {
      other = basic ? atob(basic) : btoa(secret);
    } catch {}
    for (const form of [secret, basic, other]) {
      if (form) forms.add(form).add(encodeURIComponent(form));
    }
  }
  const longestFirst = [...forms].sort((a, b) => b.length - a.length);
  return (text) => longestFirst.reduce((out, form) => out.replaceAll(form, "***"), text);
}

/** `value` redacted when it is a string, else `undefined` (what a server sent may be anything). */
export const redactString = (value: unknown, redact: (text: string) => string) =>
  typeof value === "string" ? redact(value) : undefined;

/** Redacts the messages, stacks and codes of an error's `cause` chain, in place. */
export function scrub(error: unknown, redact: (text: string) => string) {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    try {
      Object.assign(e, {
        message: redact(e.message),
        stack: redact(String(e.stack)),
        ...(typeof code === "string" && { code: redact(code) }),
      });
    } catch {} // a read-only message (a DOMException's) is the runtime's own: no echo in it
  }
  return error;
}
