import { InvalidInputError } from "./errors.js";
import { ID_LENGTHS } from "./generated/facts.js";

/**
 * Throws `InvalidInputError` naming `field` unless `ok`. Only a value outside `allowed`, or a
 * number unless `shown` is false (a secret's: a password may be given as a number), is echoed;
 * others are described by type and length, as they may be secrets.
 */
export function check<T>(
  ok: unknown,
  field: string,
  expected: string,
  value: T,
  allowed?: readonly string[],
  shown = true,
): T {
  if (!ok) {
    const got =
      typeof value === "number" && shown
        ? value
        : typeof value !== "string"
          ? value == null
            ? value
            : typeof value
          : allowed
            ? JSON.stringify(value)
            : `a string of length ${[...value].length}`;
    throw new InvalidInputError(`${field} must be ${expected}; got ${got}`, { field, allowed });
  }
  return value;
}

/** Checks an ID's length in code points, as JSON Schema counts them ("😀" is one, not two). */
export const checkId = (field: keyof typeof ID_LENGTHS, value: unknown) => {
  const { min, max = Infinity } = ID_LENGTHS[field];
  // A lone surrogate cannot be put in a URL at all. Without one, a low surrogate is the second
  // half of a pair: the length less those counts code points, without spreading the string.
  const length =
    typeof value === "string" && !/\p{Cs}/u.test(value)
      ? value.replace(/[\udc00-\udfff]/g, "").length
      : 0;
  return check(
    length >= min && length <= max,
    field,
    max < Infinity
      ? `a string of ${min} to ${max} characters`
      : min > 1
        ? `a string of at least ${min} characters`
        : "a non-empty string",
    value as string,
  );
};

/** Checks that `value` is a key of `choices`, and returns what it maps to. */
export const checkChoice = <V>(field: string, value: unknown, choices: Record<string, V>) => {
  // A string only: ["disable"] would pass as a key, being "disable" once converted.
  if (typeof value !== "string" || !Object.hasOwn(choices, value)) {
    const allowed = Object.keys(choices);
    check(false, field, `one of "${allowed.join('", "')}"`, value, allowed);
  }
  return choices[value as string] as V;
};

/** A call's `signal`: an `AbortSignal` or nothing, checked before anything is sent. */
export const checkSignal = (value: unknown) =>
  check(
    value == null || value instanceof AbortSignal,
    "signal",
    "an AbortSignal",
    value as AbortSignal | undefined,
  );

// A secret travels in a header: printable ASCII, no space at either end.
export const checkSecret = (field: string, value: unknown) =>
  check(
    /^[!-~]([ -~]*[!-~])?$/.test(value as string) && typeof value === "string",
    field,
    "a non-empty string of printable ASCII characters, no space at either end",
    value as string,
    undefined,
    false,
  );

/**
 * Checks extra `headers` (an object, or an iterable of pairs: a `Headers`, a `Map`) and returns
 * them as an object: names as
 * HTTP allows them, but not the credential headers, which the client sets itself, nor those
 * fetch sets itself, the connection's and the body's framing (Node's fetch refuses some
 * outright, a browser's drops them); values of printable ASCII.
 */
export const checkHeaders = (headers: unknown): Record<string, string> | undefined => {
  if (headers === undefined) return;
  check(
    headers && typeof headers === "object",
    "headers",
    "an object of header names to strings",
    headers,
  );
  const entries: [string, string][] =
    Symbol.iterator in (headers as object)
      ? [...(headers as Iterable<[string, string]>)]
      : Object.entries(headers as object);
  for (const entry of entries) {
    // An iterable of anything but pairs (strings, a Set) is refused, not destructured.
    const [name, value] = check(
      Array.isArray(entry) && entry.length === 2,
      "headers",
      "an object of header names to strings",
      entry,
    ) as [string, string];
    check(
      typeof name === "string" &&
        /^(?!(x-conference-authorization|x-password|host|connection|keep-alive|transfer-encoding|te|trailer|upgrade|expect|content-length)$)[\w!#$%&'*+.^`|~-]+$/i.test(
          name,
        ) &&
        typeof value === "string" &&
        /^[\t -~]*$/.test(value),
      `headers[${JSON.stringify(name)}]`,
      "a header name (not X-Conference-Authorization or X-Password, which the client sets, nor host, connection, keep-alive, transfer-encoding, te, trailer, upgrade, expect or content-length, which fetch sets) with a string of printable ASCII",
      value,
      undefined,
      false,
    );
  }
  return Object.fromEntries(entries);
};
