/** A named answer of the mock, chosen with `Prefer` (see packages/mock/README.md, "Scenarios"). */
export interface Scenario {
  label: string;
  /** Value of the `Prefer` header; empty for the default (success) answer. */
  prefer: string;
  /** The one operation whose spec has this example; the mock answers 500 to the other. */
  only?: "InviteOperateVideo";
}

export const SCENARIOS: readonly Scenario[] = [
  { label: "None (success)", prefer: "" },
  { label: "Meeting locked (400 MMC.111072050)", prefer: "code=400, example=confLocked" },
  {
    label: "Meeting does not allow inviting to open video (403 MMC.111072117, camera only)",
    prefer: "code=403, example=confNotSupportInviteOpenVideo",
    only: "InviteOperateVideo",
  },
  {
    label: "Meeting not found or token rejected (400 MMC.111072065)",
    prefer: "code=400, example=confNotFoundOrAuthFailed",
  },
  {
    label: "Audio-only participant (400 MMC.111072026)",
    prefer: "code=400, example=audioSiteNotSupport",
  },
  { label: "Token invalid (401 USG.000000004)", prefer: "code=401, example=illegalRequest" },
  { label: "No token sent (401 MMC.111070111)", prefer: "code=401, example=requestTokenNull" },
  { label: "Server error (500 MMC.000000002)", prefer: "code=500, example=internalError" },
];

/** What left the page: shown in the result, so the 0/1 the client wrote is visible. */
export interface WireRequest {
  method: string;
  /** Origin and path, without the query. */
  url: string;
  body: string;
  prefer: string;
}

/**
 * A `fetch` for the client that adds `Prefer: <prefer>` (when not empty) and reports each
 * request before sending it. The client calls it with a `Request`: its headers, body and
 * signal (the client's timeout) are carried over.
 */
export function scenarioFetch(prefer: string, onSend: (request: WireRequest) => void) {
  return async (request: Request): Promise<Response> => {
    const headers = new Headers(request.headers);
    if (prefer) headers.set("Prefer", prefer);
    // Read as bytes, not passed on as a stream: a streamed body is sent chunked.
    const body = request.body ? await request.arrayBuffer() : undefined;
    const { origin, pathname } = new URL(request.url);
    onSend({
      method: request.method,
      url: origin + pathname,
      body: body ? new TextDecoder().decode(body) : "",
      prefer,
    });
    // `redirect` carried over too: the client asks for "manual", so no redirect takes the token.
    return fetch(request.url, {
      method: request.method,
      headers,
      body,
      signal: request.signal,
      redirect: request.redirect,
    });
  };
}
