// Every form a request's credentials can take in what an upstream echoes: the header's value,
// the token inside `Basic …`, its base64 and `Basic` forms, and UTF-8 read back from Latin-1
// (node:http reads header bytes as Latin-1). Each of a repeated header's values too: node:http
// joins them with ", " and the upstream gets the joined value, so it may echo either part. Plus
// the tokens upstream answers have issued. Each of these percent-encoded and form-encoded too (an
// echo in a URL or a header), and in any case (a URL's host comes back lowercased).
import { INSIDE, REDACTED, replacing } from "../sim/journal.js";

/** Tokens issued by the upstream, kept at most (the oldest goes first). */
const MAX_TOKENS = 1000;

const CREDENTIAL_HEADERS = ["x-conference-authorization", "x-password", "authorization"];

const utf8 = (latin1: string) => Buffer.from(latin1, "latin1").toString("utf8");
const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

/** The credentials of one request, in every form listed above. */
export function credentialsOf(headers: Record<string, string | string[] | undefined>): string[] {
  const found: string[] = [];
  for (const name of CREDENTIAL_HEADERS) {
    const raw = headers[name];
    const values = Array.isArray(raw) ? raw : raw ? [raw] : [];
    for (const value of new Set([...values, ...values.flatMap((v) => v.split(/\s*,\s*/))])) {
      const basic = /^Basic\s+(\S+)$/i.exec(value.trim())?.[1];
      const plain =
        basic === undefined ? [value, utf8(value)] : [atob64(basic), utf8(atob64(basic))];
      for (const secret of [value, basic ?? "", ...plain])
        if (secret) found.push(secret, base64(secret), `Basic ${base64(secret)}`);
    }
  }
  return [...new Set(found)];
}

function atob64(text: string): string {
  try {
    return atob(text);
  } catch {
    return "";
  }
}

/** The tokens an upstream issued (CreateConfToken's `data.token`), bounded. */
export class IssuedTokens {
  readonly #tokens = new Set<string>();
  add(body: unknown) {
    const token = (body as { data?: { token?: unknown } } | null)?.data?.token;
    if (typeof token !== "string" || !token) return;
    this.#tokens.add(token);
    if (this.#tokens.size > MAX_TOKENS)
      this.#tokens.delete(this.#tokens.values().next().value as string);
  }
  values = () => [...this.#tokens];
}

/**
 * A function that replaces each of `secrets`, in every form named above and in any ASCII case, in
 * every string of a value, deep: a whole string that is one, and one inside a longer string when
 * it has at least INSIDE characters (a shorter one would take letters out of words). No pattern is
 * made of them: a thousand issued tokens would make one that takes long to compile for each entry,
 * and a long secret one too large to compile, with the secret in the error.
 */
export function redacting(secrets: Iterable<string>): <T>(value: T) => T {
  // Longest first, so a form inside a longer one does not leave the rest of the longer showing.
  // A lone surrogate (an issued token may hold one) is U+FFFD once encoded and decoded.
  const all = [...secrets].filter(Boolean);
  const forms = [...new Set([...all, ...all.map(wellFormed)].map(lower))].sort(
    (a, b) => b.length - a.length,
  );
  if (!forms.length) return (value) => value;
  const whole = new Set(forms);
  const inside = forms.filter((form) => form.length >= INSIDE);
  return replacing({ has: (text) => views(text).some(({ view }) => whole.has(view)) }, [], (text) =>
    hidden(text, inside),
  );
}

const wellFormed = (text: string) => Buffer.from(text, "utf8").toString("utf8");

const lower = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** A view of a text: each of its UTF-16 units came from `text.slice(from[i], to[i])`. */
interface View {
  view: string;
  from: number[];
  to: number[];
}

const ESCAPE = /%[0-9a-f]{2}/iy;

/**
 * `text` lowercased (ASCII), and when it has `%` or `+`, percent-decoded (as UTF-8) with `+` as
 * itself and as a space: encoders differ in what they escape (`*` is `%2A` to RFC 3986's, itself
 * to encodeURIComponent, `/` itself in a URL's path), and an echo may be encoded in part.
 */
function views(text: string): View[] {
  const all: View[] = [];
  for (const decode of /[%+]/.test(text) ? [0, 1, 2] : [0]) {
    let view = "";
    const from: number[] = [];
    const to: number[] = [];
    for (let at = 0, end = 0; at < text.length; at = end) {
      const bytes: number[] = [];
      for (ESCAPE.lastIndex = end; decode && ESCAPE.test(text); end += 3, ESCAPE.lastIndex = end)
        bytes.push(Number.parseInt(text.slice(end + 1, end + 3), 16));
      let piece: string;
      if (bytes.length) piece = Buffer.from(bytes).toString("utf8");
      else {
        piece = decode === 2 && text[at] === "+" ? " " : (text[at] as string);
        end = at + 1;
      }
      for (let k = 0; k < piece.length; k++) {
        from.push(at);
        to.push(end);
      }
      view += piece;
    }
    all.push({ view: lower(view), from, to });
  }
  return all;
}

/** `text` with every one of `forms` found in any of its views replaced by REDACTED. */
function hidden(text: string, forms: readonly string[]): string {
  const hide = new Uint8Array(text.length);
  let found = false;
  for (const { view, from, to } of views(text))
    for (const form of forms)
      for (let at = view.indexOf(form); at >= 0; at = view.indexOf(form, at + 1)) {
        hide.fill(1, from[at], to[at + form.length - 1]);
        found = true;
      }
  if (!found) return text;
  let out = "";
  for (let i = 0; i < text.length; i++)
    if (!hide[i]) out += text[i];
    else if (i === 0 || !hide[i - 1]) out += REDACTED;
  return out;
}
