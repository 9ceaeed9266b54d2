import { InvalidInputError } from "./errors.js";

/**
 * Throws `InvalidInputError` naming `field` unless `ok`. Only a value outside `allowed` is echoed;
 * others are described by type and length, as they may be secrets.
 */
export function check<T>(
  ok: boolean,
  field: string,
  expected: string,
  value: T,
  allowed?: readonly string[],
): T {
  if (!ok) {
    const got = allowed
      ? JSON.stringify(value)
      : typeof value === "string"
        ? `a string of ${[...value].length} character${[...value].length === 1 ? "" : "s"}`
        : String(value && typeof value);
    throw new InvalidInputError(`${field} must be ${expected}; got ${got}`, {
      field,
      ...(allowed && { allowed }),
    });
  }
  return value;
}

/** `conferenceID` and `participantID` limits, as the spec declares them. */
export const ID_LENGTHS = { conferenceID: [7, 9], participantID: [1, 1e9] } as const;

export const checkId = (field: keyof typeof ID_LENGTHS, value: unknown) => {
  const [min, max] = ID_LENGTHS[field];
  // Lengths in code points, as JSON Schema counts them ("😀" is one character, not two); a lone
  // surrogate cannot be put in a URL at all.
  const length = typeof value === "string" && !/\p{Cs}/u.test(value) ? [...value].length : -1;
  const ok = length >= min && length <= max;
  return check(
    ok,
    field,
    min > 1 ? `a string of ${min} to ${max} characters` : "a non-empty string",
    value as string,
  );
};

export const checkChoice = <T extends string>(
  field: string,
  value: unknown,
  allowed: readonly T[],
) =>
  check(
    allowed.includes(value as T),
    field,
    `one of ${allowed.map((a) => `"${a}"`).join(", ")}`,
    value as T,
    allowed,
  );

// Header values must be printable ASCII.
export const checkSecret = (field: string, value: unknown) =>
  check(
    typeof value === "string" && /^[\x21-\x7e]([ -~]*[\x21-\x7e])?$/.test(value),
    field,
    "a non-empty string of printable ASCII characters",
    value as string,
  );
