export {
  type CameraAction,
  type ConfToken,
  type ControlResult,
  type CreateConfTokenRequest,
  createMeetingControlClient,
  type InviteCameraRequest,
  type InviteScreenShareRequest,
  type MeetingControlClient,
  type MeetingControlClientOptions,
  type ParticipantRequest,
  REGIONS,
  type Region,
  type SecretSource,
  type ShareAction,
} from "./client.js";
export {
  ApiError,
  ClientRequestError,
  InvalidInputError,
  InvalidResponseError,
  MeetingControlError,
  NetworkError,
  type OperationName,
  RequestAbortedError,
  RequestTimeoutError,
  ServerResponseError,
} from "./errors.js";
export type { components, operations, paths } from "./generated/schema.js";
