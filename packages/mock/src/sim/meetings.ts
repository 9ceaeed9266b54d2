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

/** The keys a meeting and a participant take, held to their types. */
const MEETING_KEYS = Object.keys({
  conferenceID: 0,
  hostPassword: 0,
  started: 0,
  locked: 0,
  allowInviteOpenVideo: 0,
  participants: 0,
} satisfies Record<keyof MeetingInput, 0>);
const PARTICIPANT_KEYS = Object.keys({
  participantID: 0,
  audioOnly: 0,
} satisfies Record<keyof ParticipantInput, 0>);

/** Throws at a key of `object` not in `keys`: a misspelt `lockd` would leave the meeting unlocked, unseen. */
function checkKeys(object: Record<string, unknown>, keys: readonly string[], at: string) {
  const unknown = Object.keys(object).find((key) => !keys.includes(key));
  if (unknown !== undefined)
    fail(`${at} has an unknown field ${JSON.stringify(unknown)}; it takes ${keys.join(", ")}`);
}

/** The meetings, checked: a non-empty array, unique IDs, every field known and of the right type. */
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
    checkKeys(meeting, MEETING_KEYS, at);
    // X-Password is a header: a value in Latin-1, with no control character but a tab, trimmed of
    // spaces and tabs at either end on the way. Any other password could never be sent.
    if (!/^(?![ \t])[\t\x20-\x7e\x80-\xff]*(?<![ \t])$/.test(meeting.hostPassword as string))
      fail(
        `${at}.hostPassword cannot be sent in an X-Password header: it must be Latin-1 characters (no control character but a tab), with no space or tab at either end`,
      );
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
      checkKeys(participant, PARTICIPANT_KEYS, where);
      checkFlag(participant, "audioOnly", where);
      const pid = participant.participantID as string;
      if (seen.has(pid)) fail(`${where}.participantID ${pid} is given twice`);
      seen.add(pid);
    }
  }
  return structuredClone(meetings) as MeetingInput[];
}
