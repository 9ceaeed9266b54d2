// Redaction shared by the simulator's journal and proxy mode: a secret replaced by REDACTED in
// every string of a value, deep, as it is, percent-encoded (by any encoder, wholly or in part)
// or form-encoded, and in any ASCII case.

export const REDACTED = "[redacted]";

/**
 * A credential header's values taken as credentials each, at most: node:http joins a repeated
 * header's with ", ", and a client sends one or two. Thousands (a header of commas) made every
 * redaction of the request cost seconds, holding every other request.
 */
export const MAX_VALUES = 16;

/** The values of a credential header, as node:http joined them: the first MAX_VALUES. */
export const valuesOf = (text: string) => text.split(/\s*,\s*/, MAX_VALUES);

/** A request's redactor, built on first use. */
export type Hider = () => <T>(value: T) => T;

/** Secrets shorter than this are redacted as whole strings only: "t" would take every "t". */
export const INSIDE = 4;

/**
 * A function that redacts, deep in a value (its keys too), every string that is one of `whole` and every one
 * of `inside` within a longer string (the longest first, so that a token inside its own
 * `Basic …` form goes whole), then whatever `more` redacts.
 */
export function replacing(
  whole: { has(text: string): boolean },
  inside: readonly string[],
  more: (text: string) => string = (text) => text,
): <T>(value: T) => T {
  const sorted = [...inside].sort((a, b) => b.length - a.length);
  const redact = (value: unknown): unknown => {
    if (typeof value === "string")
      return whole.has(value)
        ? REDACTED
        : more(sorted.reduce((text, secret) => text.replaceAll(secret, REDACTED), value));
    if (Array.isArray(value)) return value.map(redact);
    if (value && typeof value === "object")
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [redact(k), redact(v)]));
    return value;
  };
  return redact as <T>(value: T) => T;
}

/**
 * A function that replaces each of `secrets`, as it is, percent- or form-encoded, in any ASCII
 * case, and in base64 (`markBase64`), in every string of a value, deep: a whole string that is one, and one inside a longer string when
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
  const bytes = [...new Set(all.filter((secret) => secret.length >= INSIDE).flatMap(bytesOf))];
  const shortest = Math.min(...bytes.map((secret) => secret.length));
  return replacing(
    { has: (text) => whole.has(lower(text)) || encodedOneOf(text, whole, longest) },
    [],
    (text) =>
      hiddenWhere(
        text,
        (view, mark) => markForms(view, inside, mark),
        (raw, mark) =>
          markBase64(
            raw,
            shortest,
            (plain) => bytes.some((secret) => plain.includes(secret)),
            mark,
          ),
      ),
  );
}

/** Where a secret may sit in base64 or base64url: a run of their characters. */
const BASE64_RUN = /[\w+/-]+={0,2}/g;

/**
 * Marks, for `hiddenWhere`, every run of base64 or base64url characters in `text` whose bytes
 * hold a secret, as `holds` tells: a server's encoded copy of a request holds one at any offset.
 * The run is read from each of its first four characters, since it may go on from the letters of
 * a word before it; a run too short for `shortest` bytes (the shortest secret's) is not read.
 * `holds` gets the bytes as Latin-1, lowercased (ASCII). Marked, not replaced, so that a secret
 * that runs into the base64 (a password's last letters, then a token's base64) is found too.
 */
export function markBase64(
  text: string,
  shortest: number,
  holds: (bytes: string) => boolean,
  mark: (start: number, end: number) => void,
) {
  for (const { 0: run, index } of text.matchAll(BASE64_RUN))
    for (let skip = 0; skip < 4 && ((run.length - skip) * 3) >> 2 >= shortest; skip++)
      if (holds(lower(Buffer.from(run.slice(skip), "base64").toString("latin1")))) {
        mark(index, index + run.length);
        break;
      }
}

/**
 * A secret's bytes as `markBase64` gives them: its UTF-8, and its Latin-1 when it has only such
 * characters (node:http reads a header as Latin-1); lowercased.
 */
export const bytesOf = (secret: string) => [
  ...new Set(
    [
      Buffer.from(secret, "utf8").toString("latin1"),
      ...(/^[\0-\xff]*$/.test(secret) ? [secret] : []),
    ].map(lower),
  ),
];

/** Whether `text` has an escape or a `+` in it: only then can it hold a secret encoded. */
export const mayBeEncoded = (text: string) => /[%+]/.test(text);

/** `text` as it reads once encoded and decoded: a lone surrogate becomes U+FFFD. */
export const wellFormed = (text: string) => Buffer.from(text, "utf8").toString("utf8");

/**
 * Whether `text`, read decoded (percent- or form-encoded, `decodedViews`), is one of `whole`
 * (lowercased): a secret sent encoded as a whole value, however short. A text longer than
 * `longest` is none of them.
 */
export const encodedOneOf = (
  text: string,
  whole: { has(text: string): boolean },
  longest: number,
) => text.length <= longest && decodedViews(text).some(({ view }) => whole.has(view));

export const lower = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

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
  if (!mayBeEncoded(text)) return [];
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

/**
 * The period of `form`: the shortest shift that lays it over itself where they overlap (its
 * length less its longest border, as Knuth–Morris–Pratt finds it). No two places `form` is found
 * at are closer than that.
 */
function periodOf(form: string): number {
  const border = new Int32Array(form.length);
  for (let i = 1, k = 0; i < form.length; i++) {
    while (k > 0 && form[i] !== form[k]) k = border[k - 1] as number;
    if (form[i] === form[k]) k++;
    border[i] = k;
  }
  return form.length - (border[form.length - 1] ?? 0);
}

/**
 * Marks every one of `forms` (lowercased) found in `view`, for `hiddenWhere`, overlapping ones
 * too. A run of overlapping finds is followed by the form's period, character by character, not
 * searched for again from each: "a" × 8,000 in "a" × 65,000 took 256 ms that way.
 */
export function markForms(
  view: string,
  forms: readonly string[],
  mark: (start: number, end: number) => void,
) {
  for (const form of forms) {
    let at = view.indexOf(form);
    if (at < 0) continue;
    const period = periodOf(form);
    const tail = form.slice(form.length - period);
    while (at >= 0) {
      let end = at + form.length;
      // The next find overlapping this one is `period` on, where the text goes on as the form ends.
      while (view.startsWith(tail, end)) end += period;
      mark(at, end);
      at = view.indexOf(form, end - form.length + period);
    }
  }
}

/**
 * `text` with every span that `find` or `raw` marks in it replaced by REDACTED: `find` reads
 * `text` lowercased (ASCII), then each of its decoded views, and marks spans of what it reads;
 * `raw` reads `text` as it is (base64 has cases).
 */
export function hiddenWhere(
  text: string,
  find: (view: string, mark: (start: number, end: number) => void) => void,
  raw?: (text: string, mark: (start: number, end: number) => void) => void,
): string {
  let hide: Uint8Array | undefined;
  const mark = (start: number, end: number) => {
    hide ??= new Uint8Array(text.length);
    hide.fill(1, start, end);
  };
  raw?.(text, mark);
  find(lower(text), mark);
  for (const { view, from, to } of decodedViews(text))
    find(view, (start, end) => mark(from[start] as number, to[end - 1] as number));
  if (!hide) return text;
  let out = "";
  for (let i = 0; i < text.length; i++)
    if (!hide[i]) out += text[i];
    else if (i === 0 || !hide[i - 1]) out += REDACTED;
  return out;
}
