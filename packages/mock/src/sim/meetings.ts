// The meetings a simulating mock knows, as a user writes them (`startMockServer({ meetings })`,
// `--meetings meetings.json`), checked once at start with a message that names the bad field.

export interface ParticipantInput {
  participantID: string;
  /** Joined by phone or without a camera: a camera invitation is refused. Default false. */
  audioOnly?: boolean;
}

export interface MeetingInput {
  conferenceID: string;
  /** What `CreateConfToken` must be sent in `X-Password` to get a token. */
  hostPassword: string;
  /** Default true. A meeting that has not started gets no token and no invitation. */
  started?: boolean;
  /** Default false. A locked meeting refuses invitations. */
  locked?: boolean;
  /** Default true. When false, an invitation to turn a camera on is refused (403). */
  allowInviteOpenVideo?: boolean;
  participants: ParticipantInput[];
}

/** Bad input to the simulator (meetings, a fault, a clock step): its message says which field. */
export class SimulatorInputError extends TypeError {
  override name = "SimulatorInputError";
}

function fail(message: string): never {
  throw new SimulatorInputError(message);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Throws unless `object[key]` is a non-empty string. A `secret` one's value is not quoted, only
 * its type: a host password given as a number (a PIN) is still the password.
 */
export function checkString(
  object: Record<string, unknown>,
  key: string,
  at: string,
  secret = false,
) {
  const value = object[key];
  if (typeof value === "string" && value !== "") return;
  const got =
    secret && value !== undefined && value !== null && value !== ""
      ? `a${Array.isArray(value) ? "n array" : ` ${typeof value}`}`
      : (JSON.stringify(value) ?? "nothing");
  fail(`${at}.${key} must be a non-empty string; got ${got}`);
}

function checkFlag(object: Record<string, unknown>, key: string, at: string) {
  if (object[key] !== undefined && typeof object[key] !== "boolean")
    fail(`${at}.${key} must be true or false; got ${JSON.stringify(object[key])}`);
}

/** The meetings, checked: a non-empty array, unique IDs, every field of the right type. */
export function checkMeetings(input: unknown): MeetingInput[] {
  if (!Array.isArray(input) || input.length === 0)
    fail("meetings must be a non-empty array of { conferenceID, hostPassword, participants }");
  const meetings = input as unknown[];
  const ids = new Set<string>();
  for (const [m, meeting] of meetings.entries()) {
    const at = `meetings[${m}]`;
    if (!isObject(meeting)) fail(`${at} must be an object`);
    checkString(meeting, "conferenceID", at);
    checkString(meeting, "hostPassword", at, true);
    for (const flag of ["started", "locked", "allowInviteOpenVideo"]) checkFlag(meeting, flag, at);
    const id = meeting.conferenceID as string;
    if (ids.has(id)) fail(`${at}.conferenceID ${id} is given twice`);
    ids.add(id);
    if (!Array.isArray(meeting.participants))
      fail(`${at}.participants must be an array of { participantID, audioOnly? }`);
    const seen = new Set<string>();
    for (const [p, participant] of (meeting.participants as unknown[]).entries()) {
      const where = `${at}.participants[${p}]`;
      if (!isObject(participant)) fail(`${where} must be an object`);
      checkString(participant, "participantID", where);
      checkFlag(participant, "audioOnly", where);
      const pid = participant.participantID as string;
      if (seen.has(pid)) fail(`${where}.participantID ${pid} is given twice`);
      seen.add(pid);
    }
  }
  return structuredClone(meetings) as MeetingInput[];
}
