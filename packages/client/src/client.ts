import createClient, { type Client } from "openapi-fetch";
import { type ApiError, InvalidInputError, InvalidResponseError } from "./errors.js";
import type { components, paths } from "./generated/schema.js";
import { redactor } from "./redact.js";
import { abortable, requestId, withRetries } from "./retry.js";
import { tokenCache } from "./token.js";
import { check, checkChoice, checkHeaders, checkId, checkSecret } from "./validate.js";

type Schemas = components["schemas"];

/** A secret given as a value, or looked up per conference (from a vault, say). */
export type SecretSource = string | ((conferenceID: string) => string | Promise<string>);

export const REGIONS = {
  "cn-north-4": "https://api.meeting.huaweicloud.com",
  "ap-southeast-1": "https://api-intl.meeting.huaweicloud.com",
} as const;
export type Region = keyof typeof REGIONS;

interface CommonOptions {
  /** Default `https://api.meeting.huaweicloud.com` (cn-north-4). Takes precedence over `region`. */
  baseUrl?: string;
  /** `"cn-north-4"` (default) or `"ap-southeast-1"`. */
  region?: Region;
  /** Time limit of each attempt, in ms. Default 10 000. */
  timeoutMs?: number;
  /** Retries after the first attempt, for network errors, timeouts, 408, 429, 5xx and MMC.111072049. Default 2. */
  maxRetries?: number;
  /** Backoff: first delay and cap in ms (default 500 and 8 000); `Retry-After` is honoured up to the cap. */
  retryDelayMs?: { initial?: number; max?: number };
  /** A `fetch` to use instead of the global one; it is called with a `Request`. */
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

/** Extra request headers. `X-Conference-Authorization` and `X-Password` are refused. */
export type ExtraHeaders = Record<string, string> | Headers;

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

export type CameraAction = "enable" | "disable";
export type ShareAction = "invite" | "cancel";

// The polarity is opposite between the two operations (see the spec): it lives here only.
const CAMERA = { enable: 0, disable: 1 } as const satisfies Record<
  CameraAction,
  Schemas["RestVideoBody"]["status"]
>;
const SHARE = { invite: 1, cancel: 0 } as const satisfies Record<
  ShareAction,
  Schemas["InviteShareDTO"]["share"]
>;

export interface ParticipantRequest {
  conferenceID: string;
  participantID: string;
  signal?: AbortSignal;
  /** Extra headers for this call, over the client's `headers`. */
  headers?: ExtraHeaders;
}
export interface InviteCameraRequest extends ParticipantRequest {
  /** `"enable"`: ask to turn the camera on; `"disable"`: ask to turn it off. */
  action: CameraAction;
}
export interface InviteScreenShareRequest extends ParticipantRequest {
  /** `"invite"`: invite to share a screen; `"cancel"`: cancel the invitation. */
  action: ShareAction;
}
export interface ControlResult {
  /** `X-Request-Id` of the answer, when it had one. */
  requestId: string | undefined;
}
export interface CreateConfTokenRequest {
  conferenceID: string;
  /** Defaults to the client's `hostPassword`. */
  hostPassword?: SecretSource;
  signal?: AbortSignal;
  /** Extra headers for this call, over the client's `headers`. */
  headers?: ExtraHeaders;
}
export type ConfToken = Schemas["TokenInfo"] &
  Omit<Schemas["RestLoginResponse"], "data"> & {
    /** When to stop using the token (30 minutes after issue). */
    expiresAt: Date;
    requestId: string | undefined;
  };

export interface MeetingControlClient {
  /** `InviteOperateVideo`: ask a participant to turn the camera on or off. */
  inviteCamera(request: InviteCameraRequest): Promise<ControlResult>;
  /** `InviteShare`: invite a participant to share a screen, or cancel the invitation. */
  inviteScreenShare(request: InviteScreenShareRequest): Promise<ControlResult>;
  /** `CreateConfToken`: get a meeting control token (valid 30 minutes, for one started meeting). */
  createConfToken(request: CreateConfTokenRequest): Promise<ConfToken>;
  /** The underlying openapi-fetch client, typed by the spec, with this client's base URL and `fetch`. */
  raw: Client<paths>;
}

const secret = async (field: string, source: SecretSource, conferenceID: string) =>
  checkSecret(field, typeof source === "function" ? await source(conferenceID) : source);

/** Creates a client for the meeting-control API. Bad options throw `InvalidInputError` at once. */
export function createMeetingControlClient(
  options: MeetingControlClientOptions,
): MeetingControlClient {
  const {
    token,
    hostPassword,
    timeoutMs = 10_000,
    maxRetries = 2,
    tokenCacheSize = 1000,
    retryDelayMs: { initial = 500, max = 8_000 } = {},
  } = options;
  const regionUrl = checkChoice("region", options.region ?? "cn-north-4", REGIONS);
  const base = options.baseUrl ?? regionUrl;
  const url = URL.canParse(base) ? new URL(base) : undefined;
  // Refused, not echoed: user info is a password in the URL, and would end up in messages.
  check(
    !url?.username && !url?.password,
    "baseUrl",
    "a URL without user info (user:password@)",
    base,
  );
  const protocol = url?.protocol;
  if (
    protocol !== "https:" &&
    !(
      protocol === "http:" &&
      (/^(localhost|127\.[\d.]+|\[::1\])$/.test(url?.hostname as string) ||
        options.allowInsecureHttp)
    )
  ) {
    // Shows the origin only: a URL may carry credentials in its user info or query.
    throw new InvalidInputError(
      `baseUrl must be https:// (http:// only to a loopback host, or with allowInsecureHttp: true); got ${url?.origin ?? "no URL"}`,
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
    retryDelayMs: [Math.min(initial, max), 0],
  } satisfies Record<string, [number, number]>;
  for (const [field, [value, min]] of Object.entries(numbers)) {
    check(
      Number.isInteger(value) && value >= min && value < 2 ** 31,
      field,
      `a whole number from ${min} to 2147483647`,
      value,
    );
  }
  const retry = { timeoutMs, maxRetries, initial, max };
  const raw = createClient<paths>({
    baseUrl: String(url).replace(/\/+$/, ""),
    // A redirect is an error (see RedirectError): following it would send the credentials on.
    redirect: "manual",
    headers: checkHeaders(options.headers),
    ...(options.fetch && { fetch: options.fetch }),
  });
  // Every configured secret, stripped from what an error carries besides this call's own.
  const secrets = [token, hostPassword];

  const createConfToken = async (request: CreateConfTokenRequest) => {
    const {
      conferenceID,
      hostPassword = options.hostPassword,
      signal,
      headers,
    } = Object(request) as CreateConfTokenRequest;
    checkId("conferenceID", conferenceID);
    const extra = checkHeaders(headers);
    check(hostPassword, "hostPassword", "set (here or in the client's options)", hostPassword);
    const password = await secret("hostPassword", hostPassword as SecretSource, conferenceID);
    const answer = await withRetries(
      "CreateConfToken",
      retry,
      signal,
      [...secrets, password],
      (signal) =>
        raw.GET("/v1/mmc/control/conferences/token", {
          params: {
            query: { conferenceID },
            header: { "X-Password": password, "X-Login-Type": 1 },
          },
          headers: extra,
          parseAs: "text",
          signal,
        }),
    );
    let body: Schemas["RestLoginResponse"] | undefined;
    try {
      body = JSON.parse(answer.data as string);
    } catch {}
    const { data: info, ...rest } = Object(body) as Schemas["RestLoginResponse"];
    if (!info?.token || typeof info.token !== "string") {
      throw new InvalidResponseError("CreateConfToken answered 2xx without data.token", {
        operation: "CreateConfToken",
        requestId: redactor([...secrets, password])(requestId(answer) ?? "") || undefined,
      });
    }
    // The relative lifetime first (immune to clock skew), then the absolute expiry, then 30 minutes.
    const lifetime = info.confTokenExpireTime;
    const expiresAt = new Date(
      lifetime ? Date.now() + lifetime * 1000 : (info.expireTime ?? Date.now() + 18e5),
    );
    return { ...rest, ...info, expiresAt, requestId: requestId(answer) } satisfies ConfToken;
  };

  const tokens = tokenCache((conferenceID) => createConfToken({ conferenceID }), tokenCacheSize);

  const control =
    <T extends string>(
      operation: "InviteOperateVideo" | "InviteShare",
      path:
        | "/v1/mmc/control/conferences/participants/video"
        | "/v1/mmc/control/conferences/participants/share/invite",
      field: "status" | "share",
      values: Record<T, 0 | 1>,
    ) =>
    async (request: ParticipantRequest & { action: T }): Promise<ControlResult> => {
      const { conferenceID, participantID, action, signal, headers } = Object(request);
      const body = { [field]: checkChoice("action", action, values) };
      checkId("conferenceID", conferenceID);
      checkId("participantID", participantID);
      const extra = checkHeaders(headers);
      const send = async (credential: string) => ({
        requestId: requestId(
          await withRetries(operation, retry, signal, [...secrets, credential], (signal) =>
            raw.PUT(path, {
              params: { query: { conferenceID, participantID } },
              headers: { ...extra, "X-Conference-Authorization": credential },
              body: body as never,
              parseAs: "text",
              signal,
            }),
          ),
        ),
      });
      if (token !== undefined) return send(await secret("token", token, conferenceID));
      // A shared token request goes on for other callers; this caller stops waiting on abort.
      const cached = () => abortable(tokens.get(conferenceID), signal, operation);
      const credential = await cached();
      try {
        return await send(credential);
      } catch (error) {
        // A refused cached token (401, or CONF_NOT_FOUND_OR_AUTH_FAILED, which the service also
        // answers for a rejected token) is refreshed once.
        const { status, code } = error as ApiError;
        if (status !== 401 && code !== "MMC.111072065") throw error;
        tokens.drop(conferenceID, credential);
        return send(await cached());
      }
    };

  return {
    inviteCamera: control(
      "InviteOperateVideo",
      "/v1/mmc/control/conferences/participants/video",
      "status",
      CAMERA,
    ),
    inviteScreenShare: control(
      "InviteShare",
      "/v1/mmc/control/conferences/participants/share/invite",
      "share",
      SHARE,
    ),
    createConfToken,
    raw,
  };
}
