export { createMeetingControlClient } from "./client.js";
export {
  ApiError,
  type ApiErrorDetails,
  ClientRequestError,
  type ErrorDetails,
  InvalidInputError,
  InvalidResponseError,
  MeetingControlError,
  NetworkError,
  type OperationName,
  RedirectError,
  RequestAbortedError,
  RequestTimeoutError,
  ServerResponseError,
} from "./errors.js";
export { REGIONS } from "./generated/facts.js";
export type { components, operations, paths } from "./generated/schema.js";
export type { MeetingControlClientOptions, Region } from "./options.js";
export { type Redact, redactor } from "./redact.js";
export type {
  CameraAction,
  ConfToken,
  ControlResult,
  CreateConfTokenRequest,
  ExtraHeaders,
  InviteCameraRequest,
  InviteScreenShareRequest,
  MeetingControlClient,
  ParticipantRequest,
  SecretSource,
  ShareAction,
} from "./types.js";
