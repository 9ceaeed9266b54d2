import createClient, { type Client } from "openapi-fetch";
import {
  ClientRequestError,
  InvalidInputError,
  InvalidResponseError,
  type OperationName,
  ServerResponseError,
} from "./errors.js";
import type { components, paths } from "./generated/schema.js";
import { abortable, parseJson, retryingFetch } from "./retry.js";
import { tokenCache } from "./token.js";
import { check, checkChoice, checkId, checkSecret } from "./validate.js";

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
  /** The underlying openapi-fetch client, typed by the spec, with this client's timeouts and retries. */
  raw: Client<paths>;
}

const requestId = (response: Response) => response.headers.get("x-request-id") ?? undefined;

const secret = async (field: string, source: SecretSource, conferenceID: string) =>
  checkSecret(field, typeof source === "function" ? await source(conferenceID) : source);

/** The typed error for a non-2xx answer, whatever its body (JSON, a gateway's HTML, nothing). */
function apiError(operation: OperationName, response: Response, body: unknown) {
  const { error_code: code, error_msg: serviceMessage } = (Object(body) ?? {}) as Record<
    string,
    unknown
  >;
  const details = {
    operation,
    status: response.status,
    code: typeof code === "string" ? code : undefined,
    serviceMessage: typeof serviceMessage === "string" ? serviceMessage : undefined,
    requestId: requestId(response),
  };
  const message = [
    `${operation} failed: HTTP ${details.status}`,
    details.code,
    details.serviceMessage,
  ]
    .concat(details.requestId && `(request id ${details.requestId})`)
    .filter(Boolean)
    .join(" ");
  return new (
    details.status < 500 && details.status > 399 ? ClientRequestError : ServerResponseError
  )(message, details);
}

/** Creates a client for the meeting-control API. Bad options throw `InvalidInputError` at once. */
export function createMeetingControlClient(
  options: MeetingControlClientOptions,
): MeetingControlClient {
  const { region, token, hostPassword, timeoutMs = 10_000, maxRetries = 2 } = options;
  if (region) checkChoice("region", region, Object.keys(REGIONS));
  const base = options.baseUrl ?? REGIONS[region ?? "cn-north-4"];
  const url = URL.canParse(base) ? new URL(base) : undefined;
  const safe =
    url?.protocol === "https:" ||
    (url?.protocol === "http:" &&
      (/^(localhost|127\.[\d.]+|\[::1\])$/.test(url.hostname) || !!options.allowInsecureHttp));
  if (!safe) {
    // Shows the origin only: a URL may carry credentials in its user info or query.
    const got = url ? `${url.protocol}//${url.host}` : "a string that is not a URL";
    throw new InvalidInputError(
      `baseUrl must be an https:// URL (http:// only to a loopback host, or with allowInsecureHttp: true); got ${got}`,
      { field: "baseUrl" },
    );
  }
  check(
    token !== undefined || hostPassword !== undefined,
    "token",
    "set, or hostPassword set",
    token,
  );
  for (const [field, value] of Object.entries({ token, hostPassword })) {
    if (value !== undefined && typeof value !== "function") checkSecret(field, value);
  }
  const { initial = 500, max = 8_000 } = options.retryDelayMs ?? {};
  const { tokenCacheSize = 1000 } = options;
  const ms = (value: number) => value >= 0 && value < 2 ** 31;
  check(
    timeoutMs > 0 && ms(timeoutMs),
    "timeoutMs",
    "a positive number of milliseconds below 2³¹",
    timeoutMs,
  );
  check(
    ms(initial) && ms(max),
    "retryDelayMs",
    "{ initial, max } in milliseconds, each 0 to 2³¹ - 1",
    initial,
  );
  check(
    Number.isInteger(tokenCacheSize) && tokenCacheSize > 0,
    "tokenCacheSize",
    "a whole number ≥ 1",
    tokenCacheSize,
  );
  check(
    Number.isInteger(maxRetries) && maxRetries >= 0,
    "maxRetries",
    "a whole number ≥ 0",
    maxRetries,
  );

  const retry = {
    fetch: options.fetch,
    timeoutMs,
    maxRetries,
    initialDelayMs: initial,
    maxDelayMs: max,
  };
  const raw = createClient<paths>({
    baseUrl: String(url).replace(/\/+$/, ""),
    fetch: retryingFetch(undefined, retry),
  });

  const createConfToken = async (request: CreateConfTokenRequest) => {
    const {
      conferenceID,
      hostPassword = options.hostPassword,
      signal,
    } = Object(request) as CreateConfTokenRequest;
    checkId("conferenceID", conferenceID);
    check(
      hostPassword !== undefined,
      "hostPassword",
      "set (here or in the client's options)",
      hostPassword,
    );
    const password = await secret("hostPassword", hostPassword as SecretSource, conferenceID);
    const { response, data, error } = await raw.GET("/v1/mmc/control/conferences/token", {
      params: { query: { conferenceID }, header: { "X-Password": password, "X-Login-Type": 1 } },
      parseAs: "text",
      signal,
      fetch: retryingFetch("CreateConfToken", retry),
    });
    if (!response.ok) throw apiError("CreateConfToken", response, error);
    const { data: info, ...rest } = Object(parseJson(data ?? "")) as Schemas["RestLoginResponse"];
    if (!info?.token || typeof info.token !== "string") {
      throw new InvalidResponseError("CreateConfToken answered 2xx without data.token", {
        operation: "CreateConfToken",
        requestId: requestId(response),
      });
    }
    // The relative lifetime first (immune to clock skew), then the absolute expiry, then 30 minutes.
    const lifetime = info.confTokenExpireTime;
    const expiresAt = new Date(
      lifetime ? Date.now() + lifetime * 1000 : (info.expireTime ?? Date.now() + 18e5),
    );
    return { ...rest, ...info, expiresAt, requestId: requestId(response) } satisfies ConfToken;
  };

  const tokens = tokenCache((conferenceID) => createConfToken({ conferenceID }), tokenCacheSize);

  const control =
    <T>(
      operation: "InviteOperateVideo" | "InviteShare",
      path:
        | "/v1/mmc/control/conferences/participants/video"
        | "/v1/mmc/control/conferences/participants/share/invite",
      body: (action: T) => Schemas["RestVideoBody"] | Schemas["InviteShareDTO"],
    ) =>
    async (request: ParticipantRequest & { action: T }): Promise<ControlResult> => {
      const { conferenceID, participantID, action, signal } = Object(request);
      const payload = body(action);
      checkId("conferenceID", conferenceID);
      checkId("participantID", participantID);
      const send = async (credential: string) =>
        raw.PUT(path, {
          params: { query: { conferenceID, participantID } },
          headers: { "X-Conference-Authorization": credential },
          body: payload as never,
          parseAs: "text",
          signal,
          fetch: retryingFetch(operation, retry),
        });
      // A shared token request goes on for other callers; this caller stops waiting on abort.
      const cached = () => abortable(tokens.get(conferenceID), signal, operation);
      let credential = await (token === undefined
        ? cached()
        : secret("token", token, conferenceID));
      let { response, error } = await send(credential);
      const refused = response.status === 401 || Object(error).error_code === "MMC.111072065";
      if (refused && token === undefined) {
        // The cached token was refused (401, or CONF_NOT_FOUND_OR_AUTH_FAILED, which the service
        // also answers for a rejected token): refresh it once.
        tokens.drop(conferenceID, credential);
        credential = await cached();
        ({ response, error } = await send(credential));
      }
      if (!response.ok) throw apiError(operation, response, error);
      return { requestId: requestId(response) };
    };

  return {
    inviteCamera: control(
      "InviteOperateVideo",
      "/v1/mmc/control/conferences/participants/video",
      (action) => ({
        status: CAMERA[checkChoice("action", action, Object.keys(CAMERA) as CameraAction[])],
      }),
    ),
    inviteScreenShare: control(
      "InviteShare",
      "/v1/mmc/control/conferences/participants/share/invite",
      (action) => ({
        share: SHARE[checkChoice("action", action, Object.keys(SHARE) as ShareAction[])],
      }),
    ),
    createConfToken,
    raw,
  };
}
