// Every form a request's credentials can take in what an upstream echoes: the header's value,
// the token inside `Basic …`, its base64 and `Basic` forms, and UTF-8 read back from Latin-1
// (node:http reads header bytes as Latin-1). Each of a repeated header's values too: node:http
// joins them with ", " and the upstream gets the joined value, so it may echo either part. Plus
// the tokens upstream answers have issued. Each of these percent-encoded too (by any encoder,
// wholly or in part: an echo in a URL or a header) and form-encoded, in any ASCII case (a URL's
// host comes back lowercased).
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
  // A string more than 12 times the longest form (a 4-byte character, escaped) is none of them.
  const longest = 12 * (forms[0] as string).length;
  const inside = forms.filter((form) => form.length >= INSIDE);
  return replacing(
    {
      has: (text) =>
        whole.has(lower(text)) ||
        (text.length <= longest && decodedViews(text).some(({ view }) => whole.has(view))),
    },
    [],
    (text) => hidden(text, inside),
  );
}

const wellFormed = (text: string) => Buffer.from(text, "utf8").toString("utf8");

const lower = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** A decoded view of a text: its unit `i` came from `text.slice(from[i], to[i])`. */
interface View {
  view: string;
  from: Int32Array;
  to: Int32Array;
}

/** The value of a hex digit's UTF-16 unit, or -1. */
function hexDigit(unit: number): number {
  if (unit >= 48 && unit <= 57) return unit - 48;
  const letter = unit | 32; // A-F as a-f
  return letter >= 97 && letter <= 102 ? letter - 87 : -1;
}

/** The byte of the escape (`%XX`) at `at` in `text`, or -1. */
function byteAt(text: string, at: number): number {
  if (text.charCodeAt(at) !== 37) return -1;
  const high = hexDigit(text.charCodeAt(at + 1));
  const low = hexDigit(text.charCodeAt(at + 2));
  return high < 0 || low < 0 ? -1 : high * 16 + low;
}

/**
 * `text` percent-decoded (as UTF-8, one character's escapes at a time) with `+` as itself and as
 * a space, lowercased (ASCII), when it has a `%` or a `+`: encoders differ in what they escape
 * (`*` is `%2A` to RFC 3986's, itself to encodeURIComponent, `/` itself in a URL's path), and an
 * echo may be encoded in part.
 */
function decodedViews(text: string): View[] {
  if (!/[%+]/.test(text)) return [];
  return [false, true].map((plusIsSpace) => {
    let view = "";
    // A view is never longer than its text: each unit comes from one character or more.
    const from = new Int32Array(text.length);
    const to = new Int32Array(text.length);
    let units = 0;
    for (let at = 0, end = 0; at < text.length; at = end) {
      let piece: string;
      const lead = byteAt(text, at);
      if (lead >= 0) {
        // A lead byte's sequence: its continuation bytes' escapes, as many as it says come.
        const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
        const bytes = [lead];
        for (end = at + 3; bytes.length < length; end += 3) {
          const next = byteAt(text, end);
          if (next < 0x80 || next > 0xbf) break;
          bytes.push(next);
        }
        piece = lead < 0x80 ? String.fromCharCode(lead) : Buffer.from(bytes).toString("utf8");
      } else {
        piece = plusIsSpace && text[at] === "+" ? " " : (text[at] as string);
        end = at + 1;
      }
      for (let k = 0; k < piece.length && units < text.length; k++, units++) {
        from[units] = at;
        to[units] = end;
      }
      view += piece;
    }
    return { view: lower(view), from, to };
  });
}

/** `text` with every one of `forms` found in it, as it is or decoded, replaced by REDACTED. */
function hidden(text: string, forms: readonly string[]): string {
  let hide: Uint8Array | undefined;
  const mark = (start: number, end: number) => {
    hide ??= new Uint8Array(text.length);
    hide.fill(1, start, end);
  };
  const plain = lower(text);
  for (const form of forms)
    for (let at = plain.indexOf(form); at >= 0; at = plain.indexOf(form, at + 1))
      mark(at, at + form.length);
  for (const { view, from, to } of decodedViews(text))
    for (const form of forms)
      for (let at = view.indexOf(form); at >= 0; at = view.indexOf(form, at + 1))
        mark(from[at] as number, to[at + form.length - 1] as number);
  if (!hide) return text;
  let out = "";
  for (let i = 0; i < text.length; i++)
    if (!hide[i]) out += text[i];
    else if (i === 0 || !hide[i - 1]) out += REDACTED;
  return out;
}
