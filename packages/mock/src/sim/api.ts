// Simulate mode as `startMockServer({ meetings })` sets it up, and the typed API it adds to the
// server object: thin calls into the simulator.
import type { Engine, Operation, PrismConfig, PrismMocker } from "../engine.js";
import { deref, scenarios, specDocument } from "../spec.js";
import { factsFrom, type OperationId } from "./facts.js";
import type { Fault, FaultInput } from "./faults.js";
import { ADMIN_PREFIX, type Simulation } from "./http.js";
import type { JournalEntry } from "./journal.js";
import { checkMeetings, type MeetingInput, SimulatorInputError } from "./meetings.js";
import { createSimulator, type MeetingView } from "./simulator.js";

export interface SimulateOptions {
  /** The meetings to simulate: opt-in to simulate mode. */
  meetings: MeetingInput[];
  /** Journal entries kept, the oldest going first. Default 1 000. */
  journalLimit?: number;
}

/** What a simulating mock adds to the server object. */
export interface SimulatorApi {
  /** The meeting and each participant's last `camera` and `share` invitation; no secret. */
  meeting(conferenceID: string): MeetingView | undefined;
  /** Every meeting, as `meeting()` shows it. */
  meetings(): MeetingView[];
  /** The request journal, oldest first, credentials redacted; one operation's with `operation`. */
  requests(filter?: { operation?: OperationId }): JournalEntry[];
  /** Back to the meetings as given: no token, no journal, no fault, the clock at wall time. */
  reset(): void;
  /** Moves the mock's clock `ms` forward (tokens expire on it); returns the new time. */
  advanceTime(ms: number): Date;
  /** Queues a fault for the next `count` (default 1) answers of an operation; returns the queue. */
  fault(fault: FaultInput): Fault[];
  /** The faults still queued. */
  faults(): Fault[];
  /** Drops every queued fault. */
  clearFaults(): void;
  /** Where the admin routes are: the URL followed by `/__mock`. */
  adminUrl: string;
}

/** The simulation for the meetings given; throws `SimulatorInputError` naming a bad field. */
export function simulation(options: Partial<SimulateOptions>, operations: Operation[]): Simulation {
  const facts = factsFrom(specDocument(), scenarios(), deref);
  let simulator: Simulation["simulator"];
  try {
    const meetings = checkMeetings(options.meetings);
    checkIds(meetings, operations);
    simulator = createSimulator(meetings, facts, { journalLimit: options.journalLimit });
  } catch (error) {
    if (!(error instanceof SimulatorInputError)) throw error;
    throw new SimulatorInputError(`meeting-control-mock: ${error.message}`);
  }
  const byRoute = new Map<string, OperationId>();
  for (const op of operations as { method: string; path: string; iid: OperationId }[])
    byRoute.set(`${op.method} ${op.path}`, op.iid);
  return { simulator, facts, operations: byRoute };
}

/** A query parameter's string schema, as far as the IDs are checked against it. */
interface IdSchema {
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}

/**
 * Throws unless each meeting's conferenceID and participant's participantID is one the spec's
 * query parameter of that name allows: a meeting no request could reach would answer every
 * call with 400.
 */
export function checkIds(meetings: MeetingInput[], operations: Operation[]) {
  const schemas = new Map<string, IdSchema>();
  for (const op of operations as { request?: { query?: { name: string; schema?: IdSchema }[] } }[])
    for (const { name, schema } of op.request?.query ?? []) if (schema) schemas.set(name, schema);
  const check = (value: string, name: string, at: string) => {
    const schema = schemas.get(name);
    if (!schema) return;
    const { minLength = 0, maxLength = Number.POSITIVE_INFINITY, pattern } = schema;
    // JSON Schema counts a string's length in code points.
    const length = [...value].length;
    const lengths =
      maxLength === Number.POSITIVE_INFINITY
        ? `at least ${minLength}`
        : minLength === maxLength
          ? `${minLength}`
          : `${minLength} to ${maxLength}`;
    if (length < minLength || length > maxLength)
      throw new SimulatorInputError(
        `${at}.${name} must be ${lengths} characters long, as the spec's ${name} parameter; got ${JSON.stringify(value)} (${length})`,
      );
    if (pattern !== undefined && !new RegExp(pattern, "u").test(value))
      throw new SimulatorInputError(
        `${at}.${name} must match the spec's ${name} pattern ${pattern}; got ${JSON.stringify(value)}`,
      );
  };
  for (const [m, meeting] of meetings.entries()) {
    check(meeting.conferenceID, "conferenceID", `meetings[${m}]`);
    for (const [p, participant] of meeting.participants.entries())
      check(participant.participantID, "participantID", `meetings[${m}].participants[${p}]`);
  }
}

/**
 * Prism's engine as simulate mode runs it: every check of the request as in contract mode, and
 * no mocked answer to throw away, since the simulator writes its own. Only a request without a
 * token gets Prism's mocker, for the 401 it answers (the simulator's answers are checked
 * against the spec by the tests that put the proxy in front of it), and one whose `Accept` may
 * refuse JSON, for the 406 contract mode answers it (Prism's negotiation, not a copy of it).
 */
export function simulationEngine(engine: Engine, config: PrismConfig, logger: unknown) {
  const simConfig: PrismConfig = { ...config, validateResponse: false };
  const placeholder = { _tag: "Right", right: { statusCode: 200, headers: {} } } as const;
  const mock: PrismMocker = (call) => {
    if (call.input.validations.some((v) => v.code === 401)) return engine.mock(call);
    if (takesJson(call.input.data.headers.accept)) return () => placeholder;
    return (log) => {
      const mocked = engine.mock(call)(log);
      return mocked._tag === "Left" && /#NOT_ACCEPTABLE/.test(mocked.left.name ?? "")
        ? mocked
        : placeholder;
    };
  };
  return { prism: engine.createInstance(simConfig, { logger, mock }), config: simConfig };
}

/**
 * Whether `accept` (as `readableAccept` leaves it: no range of quality 0) surely takes the
 * spec's JSON answers: none, or a range of `*` + `/` + `*`, `application/*` or `application/json`
 * with no parameter but its quality. Any other is left to Prism's negotiation.
 */
const takesJson = (accept: string | string[] | undefined) =>
  accept === undefined ||
  String(accept)
    .split(",")
    .some((range) =>
      /^\s*(?:\*\/\*|application\/\*|application\/json)\s*(?:;\s*q\s*=\s*[\d.]+\s*)?$/i.test(range),
    );

/** The typed API over `sim`, for a server at `url`. */
export function apiOf({ simulator: s }: Simulation, url: string): SimulatorApi {
  return {
    meeting: s.meeting,
    meetings: s.meetings,
    requests: s.requests,
    reset: s.reset,
    advanceTime: s.advanceTime,
    fault: s.fault,
    faults: s.faults,
    clearFaults: s.clearFaults,
    adminUrl: `${url}${ADMIN_PREFIX}`,
  };
}
