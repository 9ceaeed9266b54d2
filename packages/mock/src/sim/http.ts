// The simulator over node:http: each request's journal entry, written when its answer is, and
// the simulator's answer (or a fault's) to a request Prism found valid.
import type { IncomingMessage, ServerResponse } from "node:http";
import { json, own } from "../answers.js";
import type { PrismInput } from "../engine.js";
import type { Hider } from "../redact.js";
import { queryOf, routed, urlOf } from "../request.js";
import type { Facts, OperationId } from "./facts.js";
import { faultAnswer } from "./faults.js";
import { clipped, type JournalEntry, journalHeaders, redactor } from "./journal.js";
import type { Simulator } from "./simulator.js";

/** The admin routes' path prefix: no path of the spec starts with it. */
export const ADMIN_PREFIX = "/__mock";

export interface Simulation {
  simulator: Simulator;
  facts: Facts;
  /** The spec's operation at `METHOD path`. */
  operations: ReadonlyMap<string, OperationId>;
}

/** What is known of a request so far, for its journal entry. */
export interface Draft {
  operation: OperationId | null;
  body: unknown;
  /** The body's text instead, when it is over JOURNAL_BODY_BYTES: the journal keeps its start. */
  text?: string;
  fault?: JournalEntry["fault"];
  /** The simulator's `epoch()` when the request arrived: a reset since makes it none of the new state's. */
  epoch: number;
}

export const isAdmin = (req: IncomingMessage) => {
  const path = urlOf(req)?.pathname ?? "";
  return path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`);
};

/**
 * What takes `req`'s credentials out of what the mock shows of it: its own token and password,
 * every meeting's host password and every token issued.
 */
export function requestRedactor(sim: Simulation, req: IncomingMessage) {
  const { passwords, tokens } = sim.simulator.secrets();
  return redactor(req.headers, passwords, tokens);
}

/**
 * Starts the journal entry of `req`; it is recorded, credentials redacted by `hide` (the
 * request's `requestRedactor`, shared with what else shows the request), once `res` ends.
 */
export function track(
  sim: Simulation,
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
  hide: Hider,
) {
  const url = urlOf(req);
  const method = req.method ?? "";
  const at = new Date(sim.simulator.now()).toISOString();
  const draft: Draft = {
    operation: sim.operations.get(`${method.toLowerCase()} ${routed(url?.pathname)}`) ?? null,
    body: null,
    epoch: sim.simulator.epoch(),
  };
  const record = () => {
    // One that is still in flight at a reset is not the new journal's.
    if (sim.simulator.epoch() !== draft.epoch) return;
    const redact = hide();
    sim.simulator.record({
      at,
      requestId: id,
      operation: draft.operation,
      method,
      path: redact(url?.pathname ?? req.url ?? ""),
      query: redact(url ? queryOf(url.searchParams) : {}),
      headers: journalHeaders(req.headers, redact),
      body: draft.text === undefined ? redact(draft.body) : clipped(draft.text, redact),
      status: res.writableFinished ? res.statusCode : null,
      ...(draft.fault && { fault: draft.fault }),
    });
  };
  res.once("close", record);
  return draft;
}

/**
 * Journals a CONNECT, answered `status` on its socket (there is no response to wait for; `null`
 * when it went unanswered): its target, redacted, is the path.
 */
export function trackConnect(
  sim: Simulation,
  req: IncomingMessage,
  id: string,
  status: number | null,
  hide: Hider,
) {
  const redact = hide();
  sim.simulator.record({
    at: new Date(sim.simulator.now()).toISOString(),
    requestId: id,
    operation: null,
    method: req.method ?? "CONNECT",
    path: redact(req.url ?? ""),
    query: {},
    headers: journalHeaders(req.headers, redact),
    body: null,
    status,
  });
}

/** Answers a request Prism found valid: with the fault waiting for it, else the simulator. */
export async function simulated(
  sim: Simulation,
  res: ServerResponse,
  input: PrismInput,
  draft: Draft,
  id: string,
) {
  const operation = draft.operation as OperationId;
  // A reset since it arrived (while its body came slowly, or a delay fault held it): the state it
  // was sent to is gone, and the new one is not its to change (a token issued into it, an
  // invitation applied). 409, which no client retries.
  const reset = () => {
    if (sim.simulator.epoch() === draft.epoch) return false;
    json(res, 409, own.reset());
    return true;
  };
  if (reset()) return;
  // A noBody fault waits for a success: a refusal before it is answered as usual.
  const bare = sim.simulator.nextFault(operation);
  const fault = bare?.noBody ? undefined : sim.simulator.takeFault(operation);
  if (fault) draft.fault = fault.drop ? "drop" : fault.status !== undefined ? "status" : "delay";
  if (fault?.drop) return void res.destroy();
  if (fault?.status !== undefined) {
    if (fault.retryAfter !== undefined) res.setHeader("Retry-After", String(fault.retryAfter));
    const answer = faultAnswer(sim.facts, fault);
    if (!("text" in answer)) return json(res, answer.status, answer.body);
    if (answer.contentType) res.setHeader("Content-Type", answer.contentType);
    res.writeHead(answer.status, { "Content-Length": Buffer.byteLength(answer.text) });
    return void res.end(answer.text);
  }
  if (fault?.delayMs !== undefined) {
    await new Promise((resolve) => setTimeout(resolve, fault.delayMs).unref());
    if (res.destroyed || reset()) return;
  }
  const { status, body } = sim.simulator.answer({
    operation,
    query: input.url.query,
    headers: input.headers,
    body: input.body,
    requestId: id,
  });
  if (bare?.noBody && status === 200) {
    sim.simulator.takeFault(operation);
    draft.fault = "no-body";
    return void res.writeHead(200, { "Content-Length": "0" }).end();
  }
  json(res, status, body);
}
