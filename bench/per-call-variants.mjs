// §1's variants: the same InviteOperateVideo PUT, sent each way to a `fetch` that answers at once.
import { createMeetingControlClient } from "@meeting-control/client";
import { DEFAULT_REGION, REGIONS } from "@meeting-control/client/facts";
import createClient from "openapi-fetch";

/** The client's default server, from the spec: no request leaves, since `fetch` is a stub. */
const BASE = REGIONS[DEFAULT_REGION];
const PATH = "/v1/mmc/control/conferences/participants/video";
const conferenceID = "986947855";
const participantID = "4a5rg64ag5p8pvvnam1rr6m8lqra6a61";
const TOKEN = "stbaf8fa2ea8-example-token";
const QUERY = `conferenceID=${encodeURIComponent(conferenceID)}&participantID=${encodeURIComponent(participantID)}`;
/** Our client's default time limit per attempt, which the like-for-like baseline gets per call. */
export const TIMEOUT_MS = 10_000;
/** How the stub is reached: passed as a custom `fetch`, or as the global `fetch`. */
export const MODES = /** @type {const} */ (["custom", "global"]);

/** @typedef {(input: RequestInfo | URL, init?: RequestInit) => Promise<Response>} Fetch */
/**
 * The stub: no I/O, so only the code before and after `fetch` is measured. It makes a Request of
 * what it is given, as every `fetch` does first, so handing it a URL and init (ours, on the
 * global fetch) and handing it a Request (which it copies, as fetch does) are charged alike.
 * @type {Fetch}
 */
export const stub = async (input, init) => {
  new Request(input, init);
  return new Response(null, { status: 200 });
};

/**
 * What openapi-fetch builds a request into when a client's `Request` is this class: the URL and
 * init, which `unbuilt`'s fetch then gives the global fetch, as our client does on the global fetch.
 */
export class Unbuilt {
  /** @param {string} url @param {RequestInit} init */
  constructor(url, init) {
    this.url = url;
    this.init = init;
  }
}

/** openapi-fetch client options that hand the global fetch a URL and init, as ours does. */
export const unbuilt = {
  Request: Unbuilt,
  fetch: (/** @type {Unbuilt} */ r) => globalThis.fetch(r.url, r.init),
};

/**
 * The least a timeout that aborts the request costs each call, beside `call` (an openapi-fetch
 * call given extra options): a new AbortController, its timer, and its signal in the call's
 * init, as our client passes its attempt's signal (inside the `Request` to a custom fetch; as
 * `init.signal` to the global fetch when `call` is on a client made with `unbuilt`).
 * @param {(options: object) => Promise<unknown>} call
 */
export const withTimeout = async (call) => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    return await call({ signal: controller.signal });
  } finally {
    clearTimeout(timer);
  }
};

/**
 * Bare openapi-fetch, the like-for-like baseline (openapi-fetch with a per-call
 * `AbortSignal.timeout`: the job our per-attempt timer does), the timeout's floor (`withTimeout`)
 * and ours, on `fetch` passed as a custom fetch, or on the global fetch when `fetch` is undefined.
 * @param {Fetch | undefined} fetch
 */
function clients(fetch) {
  const custom = fetch ? { fetch } : {};
  // createClient<paths>, as a TypeScript caller would write it.
  const openapi = (/** @type {object} */ options) =>
    /** @type {import("openapi-fetch").Client<import("@meeting-control/client").paths>} */ (
      createClient({ baseUrl: BASE, ...custom, ...options })
    );
  const bare = openapi({});
  const floor = fetch ? bare : openapi(unbuilt);
  const put = (/** @type {object} */ options, on = bare) =>
    on.PUT(PATH, {
      params: { query: { conferenceID, participantID } },
      headers: { "X-Conference-Authorization": TOKEN },
      body: { status: 0 },
      parseAs: "text",
      ...options,
    });
  const client = createMeetingControlClient({ token: TOKEN, maxRetries: 0, ...custom });
  return {
    openapiFetch: () => put({}),
    likeForLike: () => put({ signal: AbortSignal.timeout(TIMEOUT_MS) }),
    timeoutFloor: () => withTimeout((options) => put(options, floor)),
    ours: () => client.inviteCamera({ conferenceID, participantID, action: "enable" }),
  };
}

/**
 * Every variant by name (`byHand`, then `custom.…` and `global.…`), on `fetch`. The global fetch
 * must be `fetch` already: openapi-fetch reads it when a client is created.
 * @param {Fetch} fetch
 * @returns {Record<string, () => Promise<unknown>>}
 */
export const variants = (fetch) => ({
  byHand: () =>
    fetch(
      new Request(`${BASE}${PATH}?${QUERY}`, {
        method: "PUT",
        headers: { "Content-Type": "application/json", "X-Conference-Authorization": TOKEN },
        body: JSON.stringify({ status: 0 }),
      }),
    ),
  ...Object.fromEntries(
    MODES.flatMap((mode) =>
      Object.entries(clients(mode === "custom" ? fetch : undefined)).map(([name, call]) => [
        `${mode}.${name}`,
        call,
      ]),
    ),
  ),
});

/**
 * What each variant sends, captured once, so the comparison is of equal work; `initSignal` says
 * whether the fetch got a signal as `init.signal` (the global fetch's fast path) rather than only
 * inside the Request. Sets the global fetch to the recording one.
 */
export async function capture() {
  /** @type {Record<string, unknown>} */
  let seen = {};
  /** @type {Fetch} */
  const recording = async (input, init) => {
    const request = new Request(input, init);
    seen = {
      method: request.method,
      url: request.url,
      body: await request.text(),
      contentType: request.headers.get("content-type"),
      authorization: request.headers.get("x-conference-authorization"),
      initSignal: Boolean(init?.signal),
    };
    return new Response(null, { status: 200 });
  };
  globalThis.fetch = recording;
  /** @type {Record<string, Record<string, unknown>>} */
  const requests = {};
  for (const [name, call] of Object.entries(variants(recording))) {
    await call();
    requests[name] = seen;
  }
  return requests;
}
