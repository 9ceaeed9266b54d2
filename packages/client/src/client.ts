import { controls } from "./operations.js";
import { type MeetingControlClientOptions, resolveOptions } from "./options.js";
import type { MeetingControlClient } from "./types.js";

/** Creates a client for the meeting-control API. Bad options throw `InvalidInputError` at once. */
export function createMeetingControlClient(
  options: MeetingControlClientOptions,
): MeetingControlClient {
  return controls(resolveOptions(options));
}
