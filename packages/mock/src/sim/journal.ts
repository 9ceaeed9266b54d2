// The request journal: what each request asked and what it got, credentials redacted, bounded.

import {
  bytesOf,
  encodedOneOf,
  hiddenWhere,
  INSIDE,
  lower,
  markBase64,
  markForms,
  REDACTED,
  replacing,
  valuesOf,
  wellFormed,
} from "../redact.js";
import type { OperationId } from "./facts.js";
import { credentialOf } from "./tokens.js";

export { INSIDE, REDACTED } from "../redact.js";

export interface JournalEntry {
  /** When it arrived, on the mock's clock (ISO 8601). */
  at: string;
  /** The X-Request-Id of its answer. */
  requestId: string;
  /** The spec's operation, or null for a request that matched none. */
  operation: OperationId | null;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  /** Header names in lower case; credential headers read `[redacted]`. */
  headers: Record<string, string>;
  /** The parsed JSON body (or text), null when there was none. */
  body: unknown;
  /** The answer's status; null when the connection was dropped (a fault) or closed first. */
  status: number | null;
  /** The fault that took this answer, if one did. */
  fault?: "status" | "delay" | "drop" | "no-body";
}

/** Entries kept by default; the oldest goes first. */
export const JOURNAL_LIMIT = 1000;

/**
 * A body over this many bytes is journalled as the first this many characters of its text and
 * a note of its size, not parsed: 1,000 bodies of 32 KB of `[[],[],…]`, parsed, held 660 MB.
 */
export const JOURNAL_BODY_BYTES = 2048;

/**
 * So much more of a long body's text is redacted than is kept: a secret that crosses where the
 * redaction stops is not found, and is left out with this tail (longer than any form of one).
 */
const CLIP_MARGIN = 16_384;

/** The start of a long body's `text`, redacted, with a note of its length. */
export function clipped(text: string, redact: <T>(value: T) => T): string {
  const cut = text.length > JOURNAL_BODY_BYTES + CLIP_MARGIN;
  const seen = redact(cut ? text.slice(0, JOURNAL_BODY_BYTES + CLIP_MARGIN) : text);
  const end = cut ? Math.min(JOURNAL_BODY_BYTES, seen.length - CLIP_MARGIN) : JOURNAL_BODY_BYTES;
  const kept = seen.slice(0, Math.max(0, end));
  return `${kept}… (${Buffer.byteLength(text)} bytes in all; the journal keeps the start of a body over ${JOURNAL_BODY_BYTES} bytes)`;
}

const CREDENTIAL_HEADERS = new Set([
  "x-conference-authorization",
  "x-password",
  "authorization",
  "proxy-authorization",
  "cookie",
]);

/** Where a token the simulator issued (40 hex digits, `randomToken`) may sit inside a string. */
const HEX_RUN = /[0-9a-f]{40,}/g;

/**
 * A function that replaces every credential in a value, deep: the request's own token and
 * password (each of a repeated header's values too) and `secrets` (the meetings' host
 * passwords), as a whole string or inside one, and `tokens`, the issued ones, wherever they are,
 * in any case; each in base64 too, at any offset of a longer base64 text (`markBase64`). A string with an escape or a `+` in it (a path keeps its
 * escapes) is also read decoded, as proxy mode reads an echo.
 */
export function redactor(
  headers: Record<string, string | string[] | undefined>,
  secrets: Iterable<string>,
  tokens: { has(token: string): boolean } = new Set(),
): <T>(value: T) => T {
  const found = [...secrets];
  for (const name of ["x-conference-authorization", "x-password"]) {
    const value = headers[name];
    const text = Array.isArray(value) ? value.join(", ") : value;
    if (text) for (const one of [text, ...valuesOf(text)]) found.push(one, credentialOf(one) ?? "");
  }
  const exact = new Set(found.filter(Boolean));
  // In any ASCII case, as proxy mode reads an echo (a URL's host comes back lowercased), and as a
  // lone surrogate reads once encoded.
  const surrogates = [...exact].filter((s) => /[\ud800-\udfff]/.test(s)).map(wellFormed);
  const lowered = new Set([...exact, ...surrogates].map(lower));
  const inside = [...lowered].filter((s) => s.length >= INSIDE);
  const bytes = [...new Set([...exact].filter((s) => s.length >= INSIDE).flatMap(bytesOf))];
  // An issued token is 40 characters.
  const shortest = Math.min(40, ...bytes.map((secret) => secret.length));
  // A text more than 12 times the longest (a 4-byte character, escaped) is none of them encoded.
  const longest = 12 * Math.max(0, ...[...lowered].map((s) => s.length));
  const inBase64 = (plain: string) =>
    hasIssued(plain, tokens) || bytes.some((secret) => plain.includes(secret));
  return replacing(
    {
      has: (s) => lowered.has(lower(s)) || tokens.has(s) || encodedOneOf(s, lowered, longest),
    },
    [],
    (text) =>
      hiddenWhere(
        text,
        (view, mark) => {
          markForms(view, inside, mark);
          // An issued token: its 40 hex digits, in any case, as they are or encoded.
          for (const { 0: run, index } of view.matchAll(HEX_RUN))
            for (let at = issuedAt(run, tokens); at >= 0; at = issuedAt(run, tokens, at + 40))
              mark(index + at, index + at + 40);
        },
        (raw, mark) => markBase64(raw, shortest, inBase64, mark),
      ),
  );
}

/** Whether `text` holds an issued token: looked for in its runs of 40 hex digits or more only. */
function hasIssued(text: string, tokens: { has(token: string): boolean }): boolean {
  for (const { 0: run } of text.matchAll(HEX_RUN)) if (issuedAt(run, tokens) >= 0) return true;
  return false;
}

/** Where in `run` an issued token starts, from `from` on (its 40 digits may sit in a longer run), or -1. */
function issuedAt(run: string, tokens: { has(token: string): boolean }, from = 0): number {
  for (let at = from; at + 40 <= run.length; at++)
    if (tokens.has(run.slice(at, at + 40))) return at;
  return -1;
}

/** The request's headers for the journal: credential headers `[redacted]`, the rest redacted. */
export function journalHeaders(
  headers: Record<string, string | string[] | undefined>,
  redact: <T>(value: T) => T,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    // A name too: a client can put a secret anywhere, a header's name included.
    out[redact(name)] = CREDENTIAL_HEADERS.has(name)
      ? REDACTED
      : redact(Array.isArray(value) ? value.join(", ") : value);
  }
  return out;
}

/**
 * Adds `entry` last to `journal` (entries go in as their answers end), keeping at most `limit`:
 * in place, so that a request costs the same however long the journal is.
 */
export function recorded(journal: JournalEntry[], entry: JournalEntry, limit = JOURNAL_LIMIT) {
  journal.push(entry);
  while (journal.length > limit) journal.shift();
}
