import { type Answer, InvalidResponseError } from "./errors.js";
import type { components } from "./generated/schema.js";
import { redactor } from "./redact.js";
import { requestId } from "./retry.js";
import type { ConfToken } from "./types.js";

export interface CachedToken {
  token: string;
  expiresAt: Date;
}

/** A token is replaced this long before it expires, so no request carries one about to lapse. */
const REFRESH_MARGIN_MS = 60_000;

interface Entry {
  promise: Promise<string>;
  /** When to stop using it: expiry minus the refresh margin; Infinity while being fetched. */
  until: number;
  token?: string;
}

/**
 * Tokens per conference, fetched once and shared by concurrent callers, dropped shortly before
 * they expire. Bounded: expired entries are swept and the least recently used one goes first
 * once `maxEntries` is reached, so a server handling thousands of meetings stays flat.
 */
export function tokenCache(
  fetchToken: (conferenceID: string) => Promise<CachedToken>,
  maxEntries: number,
) {
  const entries = new Map<string, Entry>();
  return {
    get(conferenceID: string): Promise<string> {
      const now = Date.now();
      let entry = entries.get(conferenceID);
      entries.delete(conferenceID);
      if (!entry || entry.until <= now) {
        // Oldest first: drop every expired entry, and the least recently used while still full.
        for (const [id, old] of entries) {
          if (old.until <= now || entries.size >= maxEntries) entries.delete(id);
        }
        const fresh: Entry = {
          until: Infinity,
          promise: fetchToken(conferenceID).then(({ token, expiresAt }) => {
            fresh.token = token;
            fresh.until = +expiresAt - REFRESH_MARGIN_MS;
            return token;
          }),
        };
        // A failed request is not kept: the next call asks again.
        fresh.promise.catch(() => {
          fresh.until = 0;
        });
        entry = fresh;
      }
      entries.set(conferenceID, entry); // most recently used last
      return entry.promise;
    },

    /** Forgets a `token` the service refused, unless a newer one replaced it. */
    drop(conferenceID: string, token: string) {
      const entry = entries.get(conferenceID);
      if (entry?.token === token) entry.until = 0;
    },
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
  if (!info?.token || typeof info.token !== "string") {
    throw new InvalidResponseError("CreateConfToken answered 2xx without data.token", {
      operation: "CreateConfToken",
      requestId: redactor(secrets)(requestId(answer) ?? "") || undefined,
    });
  }
  // The relative lifetime first (immune to clock skew), then the absolute expiry, then 30 minutes.
  const lifetime = info.confTokenExpireTime;
  const expiresAt = new Date(
    lifetime ? Date.now() + lifetime * 1000 : (info.expireTime ?? Date.now() + 18e5),
  );
  return { ...rest, ...info, expiresAt, requestId: requestId(answer) };
}
