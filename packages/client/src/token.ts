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

  const get = (conferenceID: string): Promise<string> => {
    const now = Date.now();
    const hit = entries.get(conferenceID);
    entries.delete(conferenceID);
    if (hit && hit.until > now) {
      entries.set(conferenceID, hit); // most recently used last
      return hit.promise;
    }
    if (entries.size >= maxEntries) {
      for (const [id, entry] of entries) if (entry.until <= now) entries.delete(id);
      for (const id of entries.keys()) {
        if (entries.size < maxEntries) break;
        entries.delete(id);
      }
    }
    const entry: Entry = {
      until: Number.POSITIVE_INFINITY,
      promise: fetchToken(conferenceID).then(
        ({ token, expiresAt }) => {
          entry.token = token;
          entry.until = expiresAt.getTime() - REFRESH_MARGIN_MS;
          return token;
        },
        (error) => {
          if (entries.get(conferenceID) === entry) entries.delete(conferenceID);
          throw error;
        },
      ),
    };
    entries.set(conferenceID, entry);
    return entry.promise;
  };

  /** Forgets `token` for the conference (after a 401), unless a newer one replaced it. */
  const drop = (conferenceID: string, token: string) => {
    if (entries.get(conferenceID)?.token === token) entries.delete(conferenceID);
  };

  return { get, drop };
}
