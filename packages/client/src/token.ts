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
          until: Number.POSITIVE_INFINITY,
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

    /** Forgets `token` for the conference (after a 401), unless a newer one replaced it. */
    drop(conferenceID: string, token: string) {
      const entry = entries.get(conferenceID);
      if (entry?.token === token) entry.until = 0;
    },
  };
}
