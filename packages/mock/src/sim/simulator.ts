// The simulator as one object: the core's state, the journal, the faults and the clock, held
// between requests. Still no transport: the HTTP server, the admin routes and the typed API on
// the server object all call this.
import { decide, type Invitation, initialState, type SimRequest, type State } from "./core.js";
import type { Facts, OperationId, SimAnswer } from "./facts.js";
import {
  checkFault,
  type Fault,
  type FaultInput,
  MAX_FAULTS,
  OPERATIONS,
  takeFault,
} from "./faults.js";
import { JOURNAL_LIMIT, type JournalEntry, recorded } from "./journal.js";
import { type MeetingInput, SimulatorInputError } from "./meetings.js";
import { MAX_TOKENS } from "./tokens.js";

/** The secrets issued that are kept for redaction: each live token's, and its tmpWsToken. */
const ISSUED_KEPT = 2 * MAX_TOKENS;

/** The mock's clock stays before this: far in the future, and every expiry after it a Date. */
const LATEST = Date.UTC(100_000, 0, 1);

/** A meeting as `mock.meeting()` shows it: no password, no token value. */
export interface MeetingView {
  conferenceID: string;
  started: boolean;
  locked: boolean;
  allowInviteOpenVideo: boolean;
  /** When each live token expires (ISO 8601, mock's clock); never the token. */
  tokens: { expiresAt: string }[];
  participants: {
    participantID: string;
    audioOnly: boolean;
    camera: Invitation | null;
    share: Invitation | null;
  }[];
}

export interface SimulatorOptions {
  /** Journal entries kept (the oldest go first). Default 1 000. */
  journalLimit?: number;
  /** The wall clock the mock's clock runs from; default `Date.now`. */
  wallClock?: () => number;
}

export type Simulator = ReturnType<typeof createSimulator>;

export function createSimulator(
  meetings: readonly MeetingInput[],
  facts: Facts,
  { journalLimit = JOURNAL_LIMIT, wallClock = Date.now }: SimulatorOptions = {},
) {
  if (!Number.isInteger(journalLimit) || journalLimit < 1)
    throw new SimulatorInputError(
      `journalLimit must be a whole number, 1 or more; got ${journalLimit}`,
    );
  let state: State = initialState(meetings);
  let journal: JournalEntry[] = [];
  let epoch = 0;
  let faults: readonly Fault[] = [];
  let offset = 0;
  const passwords = meetings.map((m) => m.hostPassword);
  // Every token issued, the newest ISSUED_KEPT, kept for redaction only: a token that has expired
  // (and left the state) is still a secret wherever a later request repeats it. Each answer
  // issues two, a token and its tmpWsToken: with room for MAX_TOKENS only, a live token's
  // tmpWsToken went after 5,000 more answers, and then showed in the journal.
  const issued = new Set<string>();
  const issue = (token: string) => {
    issued.delete(token);
    issued.add(token);
    if (issued.size > ISSUED_KEPT) issued.delete(issued.values().next().value as string);
  };
  const now = () => wallClock() + offset;

  /** Each meeting's live tokens' expiry, in the order they were issued: one pass over them all. */
  const liveTokens = () => {
    const at = now();
    const live = new Map<string, { expiresAt: string }[]>();
    for (const t of state.tokens.values())
      if (t.expiresAt > at) {
        const list = live.get(t.conferenceID) ?? [];
        list.push({ expiresAt: new Date(t.expiresAt).toISOString() });
        live.set(t.conferenceID, list);
      }
    return live;
  };
  const view = (
    conferenceID: string,
    live: Map<string, { expiresAt: string }[]> = liveTokens(),
  ): MeetingView | undefined => {
    const m = state.meetings.get(conferenceID);
    if (!m) return undefined;
    return {
      conferenceID: m.conferenceID,
      started: m.started,
      locked: m.locked,
      allowInviteOpenVideo: m.allowInviteOpenVideo,
      tokens: live.get(conferenceID) ?? [],
      // A copy to the last invitation: what a caller changes in it is not the state's.
      participants: [...m.participants.values()].map((p) => structuredClone(p)),
    };
  };

  return {
    /** The mock's clock, epoch ms: the wall clock plus every `advanceTime`. */
    now,
    /** The simulator's answer to a request Prism found valid; the state moves on. */
    answer(request: SimRequest): SimAnswer {
      const step = decide(facts, state, request, { now: now() });
      state = step.state;
      // The event stream's tmpWsToken is a credential too.
      const data = (step.answer.body as { data?: Record<string, unknown> } | null)?.data;
      for (const token of [data?.token, data?.tmpWsToken])
        if (typeof token === "string") issue(token);
      return step.answer;
    },
    /** The fault waiting for `operation`'s next answer, left in the queue. */
    nextFault: (operation: OperationId): Fault | undefined =>
      faults.find((f) => f.operation === operation),
    /** The fault that takes this answer of `operation`, if one is waiting. */
    takeFault(operation: OperationId): Fault | undefined {
      const step = takeFault(faults, operation);
      faults = step.faults;
      return step.fault;
    },
    /** How many resets there were: a request arrived before the last is not journalled. */
    epoch: () => epoch,
    record(entry: JournalEntry) {
      recorded(journal, entry, journalLimit);
    },
    /** What the journal must never show: every host password, and every token. */
    secrets: () => ({
      passwords,
      tokens: { has: (token: string) => issued.has(token) || state.tokens.has(token) },
    }),

    meeting: (conferenceID: string) => view(conferenceID),
    meetings: (): MeetingView[] => {
      const live = liveTokens();
      return [...state.meetings.keys()].map((id) => view(id, live) as MeetingView);
    },
    /** The journal, oldest first; only `operation`'s entries when it is given. */
    requests({ operation }: { operation?: OperationId } = {}): JournalEntry[] {
      if (operation !== undefined && !OPERATIONS.includes(operation))
        throw new SimulatorInputError(
          `operation must be one of ${OPERATIONS.join(", ")}; got ${JSON.stringify(operation)}`,
        );
      return structuredClone(
        journal.filter((e) => operation === undefined || e.operation === operation),
      );
    },
    /** Back to the start: the meetings as given, no token, no journal, no fault, the wall clock. */
    reset() {
      epoch++;
      state = initialState(meetings);
      journal = [];
      faults = [];
      offset = 0;
    },
    /** Moves the mock's clock `ms` forward; returns the new time. */
    advanceTime(ms: number): Date {
      // Every time the mock shows must stay a Date (they end in the year 275760).
      if (!Number.isSafeInteger(ms) || ms < 0 || now() + ms >= LATEST)
        throw new SimulatorInputError(
          `advanceTime takes a whole number of ms, 0 or more, that keeps the clock before the year 100000; got ${JSON.stringify(ms)}`,
        );
      offset += ms;
      return new Date(now());
    },
    /** Queues a fault for the next `count` answers of its operation; returns every queued fault. */
    fault(input: FaultInput): Fault[] {
      const fault = checkFault(input, facts.bodyOptional);
      // Each is copied into every answer that lists them: a script queuing in a loop would make
      // each call cost more than the last, with no end.
      if (faults.length >= MAX_FAULTS)
        throw new SimulatorInputError(
          `fault: at most ${MAX_FAULTS} faults wait at once (use count for many answers of one); clear them with clearFaults() or DELETE /faults`,
        );
      faults = [...faults, fault];
      return structuredClone([...faults]);
    },
    faults: (): Fault[] => structuredClone([...faults]),
    clearFaults() {
      faults = [];
    },
  };
}
