// Meeting control tokens as the simulator keeps them: which meeting each belongs to and when it
// expires on the mock's clock. Never the token's value in anything the mock shows.

export interface Token {
  conferenceID: string;
  /** Epoch ms on the mock's clock. */
  expiresAt: number;
}

export type Tokens = ReadonlyMap<string, Token>;

/** Live tokens kept at most; past it the oldest goes first (expired ones go at every issue). */
export const MAX_TOKENS = 10_000;

/**
 * The token in an `X-Conference-Authorization` value: raw, or `Basic ` + base64(token).
 * `undefined` when the header is missing or empty.
 */
export function credentialOf(header: string | string[] | undefined): string | undefined {
  const value = headerText(header);
  if (!value) return undefined;
  // Not base64 (or not one word after `Basic`): a token no one was given.
  return fromBasic(value) ?? value;
}

/**
 * Whether an `X-Conference-Authorization` value is the `Basic` form with no token in it: `Basic`
 * alone, or followed by what is not one base64 word. Nothing could have issued it.
 */
export function isTokenlessBasic(header: string | string[] | undefined): boolean {
  const value = headerText(header) ?? "";
  return /^Basic(\s|$)/i.test(value) && !fromBasic(value);
}

/** A header's value as one string (a repeated one's joined as node:http joins them), trimmed. */
const headerText = (header: string | string[] | undefined) =>
  (Array.isArray(header) ? header.join(", ") : header)?.trim();

/** The token a `Basic <base64>` value carries, or `undefined` when it is not one. */
function fromBasic(value: string): string | undefined {
  const basic = /^Basic\s+(\S+)$/i.exec(value)?.[1];
  try {
    return basic === undefined ? undefined : atob(basic);
  } catch {
    return undefined;
  }
}

/** Whether `credential` is a token of `conferenceID` that has not expired at `now`. */
export const isLive = (
  tokens: Tokens,
  credential: string | undefined,
  conferenceID: string,
  now: number,
) => {
  const token = credential === undefined ? undefined : tokens.get(credential);
  return token !== undefined && token.conferenceID === conferenceID && token.expiresAt > now;
};

/** `tokens` with `token` (new, or extended) valid until `expiresAt`; expired ones swept. */
export function withToken(tokens: Tokens, token: string, entry: Token, now: number): Tokens {
  const next = new Map<string, Token>();
  for (const [value, old] of tokens)
    if (old.expiresAt > now && value !== token) next.set(value, old);
  for (const value of next.keys()) {
    if (next.size < MAX_TOKENS) break;
    next.delete(value);
  }
  return next.set(token, entry);
}

/** A new token: 40 random hex digits, from the platform's CSPRNG (Node, a browser, a worker). */
export function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
