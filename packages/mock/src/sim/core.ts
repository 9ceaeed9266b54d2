// The meeting simulator's decisions, knowing no transport: a request Prism has already
// validated, the state and the clock in; the answer and the new state out. The state is never
// changed in place, so a caller keeps or drops a step as it likes.
import type { ControlOperation, Facts, OperationId, Refusal, SimAnswer } from "./facts.js";
import type { MeetingInput } from "./meetings.js";
import { credentialOf, isLive, randomToken, type Tokens, withToken } from "./tokens.js";

/** A participant's last invitation of one kind: what was asked, when, by which request. */
export interface Invitation {
  /** `enable`/`disable` for the camera, `invite`/`cancel` for sharing. */
  action: string;
  /** When, on the mock's clock (ISO 8601). */
  at: string;
  requestId: string;
}

export interface ParticipantState {
  participantID: string;
  audioOnly: boolean;
  camera: Invitation | null;
  share: Invitation | null;
}

export interface MeetingState {
  conferenceID: string;
  hostPassword: string;
  started: boolean;
  locked: boolean;
  allowInviteOpenVideo: boolean;
  participants: ReadonlyMap<string, ParticipantState>;
}

export interface State {
  meetings: ReadonlyMap<string, MeetingState>;
  tokens: Tokens;
}

/** A request as Prism validated it. Header names are lower case (as node:http gives them). */
export interface SimRequest {
  operation: OperationId;
  query: Record<string, string | string[]>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** The X-Request-Id of the answer. */
  requestId: string;
}

/** The clock (epoch ms on the mock's clock) and where new tokens come from. */
export interface Env {
  now: number;
  newToken?: () => string;
}

const STATE_KEY = { InviteOperateVideo: "camera", InviteShare: "share" } as const;

/** The state before any request: the meetings with the defaults filled in, no token. */
export function initialState(meetings: readonly MeetingInput[]): State {
  return {
    tokens: new Map(),
    meetings: new Map(
      meetings.map((m) => [
        m.conferenceID,
        {
          conferenceID: m.conferenceID,
          hostPassword: m.hostPassword,
          started: m.started ?? true,
          locked: m.locked ?? false,
          allowInviteOpenVideo: m.allowInviteOpenVideo ?? true,
          participants: new Map(
            m.participants.map((p) => [
              p.participantID,
              {
                participantID: p.participantID,
                audioOnly: p.audioOnly ?? false,
                camera: null,
                share: null,
              },
            ]),
          ),
        },
      ]),
    ),
  };
}

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** The simulator's answer to `request`, and the state after it. */
export function decide(
  facts: Facts,
  state: State,
  request: SimRequest,
  env: Env,
): { answer: SimAnswer; state: State } {
  const { operation } = request;
  const refuse = (name: Refusal) => ({ answer: facts.refusal(operation, name), state });
  const credential = credentialOf(request.headers["x-conference-authorization"]);
  // A control operation without a token is refused first (Prism's security check does the same).
  if (operation !== "CreateConfToken" && credential === undefined)
    return refuse("requestTokenNull");
  const meeting = state.meetings.get(one(request.query.conferenceID) ?? "");
  if (!meeting?.started) return refuse("confNotFoundOrAuthFailed");
  const live = isLive(state.tokens, credential, meeting.conferenceID, env.now);
  if (operation === "CreateConfToken") {
    // A live token of this meeting is extended, the password unchecked (as the service does).
    if (!live && one(request.headers["x-password"]) !== meeting.hostPassword)
      return refuse("confNotFoundOrAuthFailed");
    const token = live ? (credential as string) : (env.newToken ?? randomToken)();
    const expiresAt = env.now + facts.tokenLifetimeMs;
    const template = facts.success.CreateConfToken.body as { data: object };
    const body = {
      ...template,
      data: {
        ...template.data,
        token,
        tmpWsToken: randomToken(),
        expireTime: expiresAt,
        confTokenExpireTime: facts.tokenLifetimeMs / 1000,
        vmrCurrentConfID: meeting.conferenceID,
      },
    };
    const tokens = withToken(
      state.tokens,
      token,
      { conferenceID: meeting.conferenceID, expiresAt },
      env.now,
    );
    return { answer: { status: 200, body }, state: { ...state, tokens } };
  }
  if (!live) return refuse("illegalRequest");
  if (meeting.locked) return refuse("confLocked");
  const participant = meeting.participants.get(one(request.query.participantID) ?? "");
  if (!participant) return refuse("confDataNotFound");
  const { field, names } = facts.actions[operation];
  const action = names[Object(request.body)[field]] ?? "";
  if (operation === "InviteOperateVideo") {
    if (participant.audioOnly) return refuse("audioSiteNotSupport");
    if (action === "enable" && !meeting.allowInviteOpenVideo)
      return refuse("confNotSupportInviteOpenVideo");
  }
  const invitation = { action, at: new Date(env.now).toISOString(), requestId: request.requestId };
  return {
    answer: facts.success[operation],
    state: invited(state, meeting, participant, operation, invitation),
  };
}

/** `state` with the participant's last invitation of that kind replaced. */
function invited(
  state: State,
  meeting: MeetingState,
  participant: ParticipantState,
  operation: ControlOperation,
  invitation: Invitation,
): State {
  const participants = new Map(meeting.participants).set(participant.participantID, {
    ...participant,
    [STATE_KEY[operation]]: invitation,
  });
  const meetings = new Map(state.meetings).set(meeting.conferenceID, { ...meeting, participants });
  return { ...state, meetings };
}
