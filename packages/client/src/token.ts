import { type Answer, InvalidResponseError } from "./errors.js";
import { TOKEN_LIFETIME_MS } from "./generated/facts.js";
import type { components } from "./generated/schema.js";
import { redactor } from "./redact.js";
import { requestId } from "./retry.js";
import type { ConfToken } from "./types.js";

interface Entry {
  /** The token and the host password it was asked with (a function's may differ each time). */
  promise: Promise<[token: string, password: string]>;
  /** When to stop using it: expiry minus a minute; Infinity while being fetched, 0 if it failed. */
  until: number;
  /** The token, once fetched. */
  token: string;
}

/**
 * A conference's token, fetched once and shared by concurrent callers, replaced a minute before it
 * expires, so no request carries one about to lapse. Given the token the service just `refused`,
 * it fetches a new one, unless a newer one replaced it already. Bounded: expired entries are swept
 * and the least recently used one goes first once `maxEntries` is reached, so a server handling
 * thousands of meetings stays flat. `createConfToken` tells `sent` the password it sends.
 */
export function tokenCache(
  createConfToken: (
    request: { conferenceID: string },
    refused?: string,
    sent?: (password: string) => void,
  ) => Promise<ConfToken>,
  maxEntries: number,
) {
  const entries = new Map<string, Entry>();
  return (conferenceID: string, refused?: string): Entry["promise"] => {
    const now = Date.now();
    let entry = entries.get(conferenceID);
    entries.delete(conferenceID);
    if (!entry || entry.until <= now || entry.token === refused) {
      // Oldest first: drop every expired entry, and the least recently used while still full,
      // but not one still being fetched: the calls waiting on it would each ask again, with the
      // password. (Those in flight can take the cache past maxEntries for as long as they last.)
      for (const [id, old] of entries) {
        if (old.until <= now || (entries.size >= maxEntries && old.until < Infinity))
          entries.delete(id);
      }
      let password = "";
      const fresh: Entry = {
        until: Infinity,
        token: "",
        promise: createConfToken({ conferenceID }, refused, (sent) => {
          password = sent;
        }).then(
          ({ token, expiresAt }) => {
            fresh.token = token;
            fresh.until = +expiresAt - 60_000;
            return [token, password];
          },
          (error) => {
            fresh.until = 0; // a failed request is not kept: the next call asks again
            throw error;
          },
        ),
      };
      entry = fresh;
    }
    entries.set(conferenceID, entry); // most recently used last
    return entry.promise;
  };
}

/**
 * The `ConfToken` of a CreateConfToken answer (read as text), or `InvalidResponseError` when it
 * has no `data.token`. `secrets` are redacted from the request id such an error shows.
 */
export function parseConfToken(answer: Answer, secrets: readonly unknown[]): ConfToken {
  let body: components["schemas"]["RestLoginResponse"] | undefined;
  try {
    body = JSON.parse(answer.data as string);
  } catch {}
  const { data: info, ...rest } = Object(body) as NonNullable<typeof body>;
  const id = requestId(answer);
  // A token no header can carry (CR/LF, non-ASCII) is refused here, not cached to fail every call.
  if (typeof info?.token !== "string" || !/^[!-~]+$/.test(info.token)) {
    throw new InvalidResponseError("CreateConfToken answered 2xx without a usable data.token", {
      operation: "CreateConfToken",
      status: answer.response.status,
      requestId: redactor(secrets)(id),
    });
  }
  // The relative lifetime first (immune to clock skew), then the absolute expiry, then the spec's lifetime (30 minutes):
  // the first that is a valid date, so a lifetime of "soon" never caches a token for ever.
  const now = Date.now();
  const expiresAt = new Date(
    [
      now + (info.confTokenExpireTime || Number.NaN) * 1000,
      info.expireTime,
      now + TOKEN_LIFETIME_MS,
    ].find((at) => +new Date(at as number) > 0) as number,
  );
  return { ...rest, ...info, expiresAt, requestId: redactor(secrets)(id) };
}
