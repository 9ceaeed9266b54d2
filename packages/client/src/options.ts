import createClient, { type Client } from "openapi-fetch";
import { InvalidInputError } from "./errors.js";
import { DEFAULT_REGION, REGIONS } from "./generated/facts.js";
import type { paths } from "./generated/schema.js";
import { ANSWER, type AttemptSignal, capped, type RetryOptions } from "./retry.js";
import type { ExtraHeaders, SecretSource } from "./types.js";
import { check, checkChoice, checkHeaders, checkSecret } from "./validate.js";

export type Region = keyof typeof REGIONS;

interface CommonOptions {
  /** The API's address. Default: the `region`'s URL in `REGIONS`. Wins over `region`. */
  baseUrl?: string;
  /** A key of `REGIONS`. Default `DEFAULT_REGION`. */
  region?: Region;
  /** Time limit of each attempt, in ms. Default 10 000. */
  timeoutMs?: number;
  /**
   * Retries after the first attempt, for network errors, timeouts, 408, 429, 5xx and the codes in
   * `RETRYABLE_CODES`. Default 2.
   */
  maxRetries?: number;
  /** Backoff: first delay and cap in ms (default 500 and 8 000); `Retry-After` is honoured up to the cap. */
  retryDelayMs?: { initial?: number; max?: number };
  /**
   * A `fetch` to use instead of the global one. It is called with a `Request` per attempt, whose
   * `signal` aborts at the attempt's timeout or the caller's abort: honour it.
   */
  fetch?: (request: Request) => Promise<Response>;
  /** Allow `http://` to a host that is not loopback. Default false: tokens would travel in clear. */
  allowInsecureHttp?: boolean;
  /** With `hostPassword`: how many conferences' tokens to keep. Default 1 000. */
  tokenCacheSize?: number;
  /**
   * Extra headers for every request (`Prefer` for the mock's scenarios, tracing headers); a
   * call's own `headers` add to them. The credential headers cannot be set here.
   */
  headers?: ExtraHeaders;
}

export type MeetingControlClientOptions = CommonOptions &
  (
    | {
        /** A meeting control token, raw or `Basic <base64(token)>`, or a function of the conference ID. */
        token: SecretSource;
        hostPassword?: SecretSource;
      }
    | {
        token?: undefined;
        /** The host password: the client gets, caches and refreshes tokens itself with `CreateConfToken`. */
        hostPassword: SecretSource;
      }
  );

/** What the operations need from the options, checked. */
export interface Context {
  raw: Client<paths>;
  /** The client the operations send with (see `resolveOptions`). */
  operations: Client<paths>;
  retry: RetryOptions;
  token: SecretSource | undefined;
  hostPassword: SecretSource | undefined;
  tokenCacheSize: number;
}

/** A request as openapi-fetch built it for the global fetch: its URL and init, not yet a Request. */
class Unbuilt {
  constructor(
    readonly url: string,
    readonly init: RequestInit,
  ) {}
}

/** `retryDelayMs`'s names, held to its type as OPTION_NAMES are. */
const DELAY_NAMES = { initial: 0, max: 0 } satisfies Record<
  keyof NonNullable<CommonOptions["retryDelayMs"]>,
  0
>;

/**
 * The options' names. One not here is refused rather than ignored: `baseURL` for `baseUrl` would
 * send the token, and the call, to the service itself.
 */
const OPTION_NAMES = {
  baseUrl: 0,
  region: 0,
  timeoutMs: 0,
  maxRetries: 0,
  retryDelayMs: 0,
  fetch: 0,
  allowInsecureHttp: 0,
  tokenCacheSize: 0,
  headers: 0,
  token: 0,
  hostPassword: 0,
} satisfies Record<keyof MeetingControlClientOptions, 0>;

/** Checks every option (throwing `InvalidInputError` for a bad one) and fills in the defaults. */
export function resolveOptions(options: MeetingControlClientOptions): Context {
  const {
    token,
    hostPassword,
    timeoutMs = 10_000,
    maxRetries = 2,
    tokenCacheSize = 1000,
    retryDelayMs = {},
    fetch: custom,
  } = check(options && typeof options === "object", "options", "an object", options);
  for (const name of Object.keys(options)) checkChoice("option", name, OPTION_NAMES);
  check(
    retryDelayMs && typeof retryDelayMs === "object" && !Array.isArray(retryDelayMs),
    "retryDelayMs",
    "an object { initial, max }",
    retryDelayMs,
  );
  // `{ inital: 50 }` would keep the default backoff unseen.
  for (const name of Object.keys(retryDelayMs)) checkChoice("retryDelayMs", name, DELAY_NAMES);
  check(typeof (custom ?? fetch) === "function", "fetch", "a function", custom);
  const { initial = 500, max = 8_000 } = retryDelayMs;
  // The region is checked even when baseUrl overrides it.
  const region = checkChoice("region", options.region ?? DEFAULT_REGION, REGIONS);
  const base = options.baseUrl ?? region;
  const url = URL.canParse(base) ? new URL(base) : undefined;
  // Refused, not echoed: user info is a password in the URL, and would end up in messages.
  check(
    !url?.username && !url?.password,
    "baseUrl",
    "a URL without user info (user:password@)",
    base,
  );
  // A query or fragment would swallow the paths put after it (`https://host/#/v1/…`).
  check(
    !/[?#]/.test(url?.href as string),
    "baseUrl",
    "a URL without a query or fragment (? or #)",
    base,
  );
  const { protocol, hostname, origin = "no URL" } = Object(url);
  if (
    protocol !== "https:" &&
    !(
      protocol === "http:" &&
      (/^(localhost|127\.[\d.]+|\[::1\])$/.test(hostname) || options.allowInsecureHttp === true)
    )
  ) {
    // Shows the origin only: a URL may carry credentials in its user info or query.
    throw new InvalidInputError(
      `baseUrl must be https:// (http:// only to a loopback host, or with allowInsecureHttp: true); got ${origin}`,
      { field: "baseUrl" },
    );
  }
  check((token ?? hostPassword) !== undefined, "token", "set, or hostPassword set", token);
  for (const [field, value] of Object.entries({ token, hostPassword })) {
    if (value !== undefined && typeof value !== "function") checkSecret(field, value);
  }
  // Each number option as [value, least allowed]: whole numbers below 2³¹, setTimeout's limit.
  const numbers = {
    timeoutMs: [timeoutMs, 1],
    tokenCacheSize: [tokenCacheSize, 1],
    maxRetries: [maxRetries, 0],
    "retryDelayMs.initial": [initial, 0],
    "retryDelayMs.max": [max, 0],
  } satisfies Record<string, [number, number]>;
  for (const [field, [value, min]] of Object.entries(numbers)) {
    check(
      Number.isInteger(value) && value >= min && value < 2 ** 31,
      field,
      `a whole number from ${min} to 2147483647`,
      value,
    );
  }
  const common = {
    baseUrl: String(url).replace(/\/+$/, ""),
    // A redirect is an error (see RedirectError): following it would send the credentials on.
    redirect: "manual",
    headers: checkHeaders(options.headers),
    fetch: custom ?? undefined,
  } as const;
  const raw = createClient<paths>(common);
  // The operations' own openapi-fetch, so a middleware added to `raw` is only for raw's calls.
  // It builds no Request (Unbuilt): the global fetch gets the URL and init, the attempt's signal
  // as init.signal, since fetch makes a Request of what it is given, and copying one (piping its
  // body through a new stream, following its signal) costs far more than making one: about a
  // tenth of a loopback round trip. A custom fetch gets a Request made of the same, its signal
  // the attempt's. Either way the answer's body is read `capped`, and the answer is kept by the
  // attempt's signal (`ANSWER`).
  const operations = createClient<paths>({
    ...common,
    Request: Unbuilt as unknown as typeof Request,
    fetch: async (built) => {
      const { url, init } = built as never as Unbuilt;
      const response = capped(await (custom ? custom(new Request(url, init)) : fetch(url, init)));
      (init.signal as AttemptSignal)[ANSWER] = response;
      return response;
    },
  });
  const retry = { timeoutMs, maxRetries, initial, max };
  return { raw, operations, retry, token, hostPassword, tokenCacheSize };
}
