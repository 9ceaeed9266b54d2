import type { Client } from "openapi-fetch";
import type { POLARITY } from "./generated/facts.js";
import type { components, paths } from "./generated/schema.js";

type Schemas = components["schemas"];

/** A secret given as a value, or looked up per conference (from a vault, say). */
export type SecretSource = string | ((conferenceID: string) => string | Promise<string>);

/** Extra request headers. `X-Conference-Authorization` and `X-Password` are refused. */
export type ExtraHeaders = Record<string, string> | Headers | Iterable<readonly [string, string]>;

/** The friendly names of each operation's `0`/`1`, from the spec (`POLARITY`). */
export type CameraAction = Exclude<keyof (typeof POLARITY)["InviteOperateVideo"], "field">;
export type ShareAction = Exclude<keyof (typeof POLARITY)["InviteShare"], "field">;

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
