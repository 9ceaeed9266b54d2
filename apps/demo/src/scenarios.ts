import type { OperationName } from "@meeting-control/client";
import { ERROR_CODES } from "@meeting-control/client/error-codes";

type Control = Exclude<OperationName, "CreateConfToken">;
/** The control operations, with the words a label uses for one. */
const CONTROLS: Record<Control, string> = {
  InviteOperateVideo: "camera",
  InviteShare: "screen share",
};

/** A named answer of the mock, chosen with `Prefer` (see packages/mock/README.md, "Scenarios"). */
export interface Scenario {
  label: string;
  /** Value of the `Prefer` header; empty for the default (success) answer. */
  prefer: string;
  /** What the mock answers: the HTTP status and the error code; none for success. */
  answer?: { status: number; code: string };
  /** The one control operation whose spec has this answer; the mock answers 500 to the other. */
  only?: Control;
}

/**
 * Success, then every error answer the spec gives a control operation (the examples of its
 * error responses, from the client's generated error codes), by status.
 */
export const SCENARIOS: readonly Scenario[] = [
  { label: "None (success)", prefer: "" },
  ...Object.entries(ERROR_CODES)
    .flatMap(([code, { summary, statuses, operations, example }]) => {
      const controls = (Object.keys(CONTROLS) as Control[]).filter((o) => operations.includes(o));
      const only = controls.length === 1 ? controls[0] : undefined;
      return controls.length === 0
        ? []
        : statuses.map((status) => ({
            label: `${summary} (${status} ${code}${only ? `, ${CONTROLS[only]} only` : ""})`,
            prefer: `code=${status}, example=${example}`,
            answer: { status, code },
            only,
          }));
    })
    .sort((a, b) => a.answer.status - b.answer.status),
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
