// Faults: the next N answers of an operation are a given status (with an optional Retry-After,
// and a body of the service's or any text, as a gateway's), come after a delay, come without a
// body, or are a dropped connection. Then answers are normal again.
import { readableAnswerType } from "../media-type.js";
import type { RestFailedRsp } from "../spec.js";
import { type Facts, faultBody, type OperationId, type SimAnswer } from "./facts.js";
import { SimulatorInputError } from "./meetings.js";

export const OPERATIONS: readonly OperationId[] = [
  "InviteOperateVideo",
  "InviteShare",
  "CreateConfToken",
];

/** The other kinds' keys, as `never`, so that the types refuse a mix as the runtime does. */
type Without<K extends string> = { [P in K]?: never };
interface Common {
  operation: OperationId;
  /** How many answers it takes; default 1. */
  count?: number;
}
interface StatusCommon extends Common, Without<"delayMs" | "drop" | "noBody"> {
  /** The status to answer, 400–599. */
  status: number;
  /** `Retry-After`: seconds, or an HTTP date. */
  retryAfter?: number | string;
}
/** A status, with the service's error body: by default the spec's first example of that status, else a `MOCK.FAULT` one. */
export interface JsonStatusFault extends StatusCommon {
  body?: RestFailedRsp;
  contentType?: never;
}
/** A status with a body sent as it is (a gateway's HTML page, or `""` for none). */
export interface TextStatusFault extends StatusCommon {
  body: string;
  /** Its Content-Type; none when not given. */
  contentType?: string;
}
export type StatusFault = JsonStatusFault | TextStatusFault;
export interface DelayFault extends Common, Without<"status" | "drop" | "noBody"> {
  /** Answer normally, this many ms late. */
  delayMs: number;
}
export interface DropFault extends Common, Without<"status" | "delayMs" | "noBody"> {
  /** Close the connection without an answer. */
  drop: true;
}
export interface NoBodyFault extends Common, Without<"status" | "delayMs" | "drop"> {
  /**
   * Answer the next success with no body and no Content-Type, as the service may send it: for an
   * operation whose 200 the spec marks `x-body-optional` (the control operations'). A refusal
   * before it is answered as usual and leaves it waiting.
   */
  noBody: true;
}
export type FaultInput = StatusFault | DelayFault | DropFault | NoBodyFault;
/** A fault as the simulator keeps it: `count` answers still to take. */
export type Fault = FaultInput & { count: number };

/** Faults that may wait at once. */
export const MAX_FAULTS = 1000;

/** The keys only a status fault takes. */
const STATUS_FIELDS = ["retryAfter", "body", "contentType"];
/** Every key a fault may have. */
const FIELDS = ["operation", "count", "status", ...STATUS_FIELDS, "delayMs", "drop", "noBody"];

function fail(message: string): never {
  throw new SimulatorInputError(`fault: ${message}`);
}
const printable = (text: string) => /^[\x20-\x7e]+$/.test(text);
const whole = (value: unknown, min: number, max: number) =>
  Number.isInteger(value) && (value as number) >= min && (value as number) <= max;

/**
 * A fault from a user (the typed API or an admin route's JSON), checked; `bodyOptional` are the
 * operations whose 200 may come without a body.
 */
export function checkFault(input: unknown, bodyOptional: ReadonlySet<OperationId>): Fault {
  if (typeof input !== "object" || input === null) fail("must be an object");
  const f = input as Record<string, unknown>;
  // A misspelt key (`retryafter`, `stauts`) would change the fault unseen.
  const unknown = Object.keys(f).find((key) => !FIELDS.includes(key));
  if (unknown !== undefined)
    fail(`unknown field ${JSON.stringify(unknown)}; a fault takes ${FIELDS.join(", ")}`);
  if (!OPERATIONS.includes(f.operation as OperationId))
    fail(`operation must be one of ${OPERATIONS.join(", ")}; got ${JSON.stringify(f.operation)}`);
  const count = f.count === undefined ? 1 : f.count;
  if (!whole(count, 1, 1_000_000))
    fail(`count must be a whole number from 1; got ${JSON.stringify(count)}`);
  const kinds = ["status", "delayMs", "drop", "noBody"].filter((k) => f[k] !== undefined);
  if (kinds.length !== 1) fail("give exactly one of status, delayMs, drop or noBody");
  // A status's own fields on another kind would be dropped unseen (a drop with a retryAfter).
  const stray = STATUS_FIELDS.find((key) => f[key] !== undefined);
  if (stray !== undefined && kinds[0] !== "status")
    fail(`${stray} goes with status only; this fault is ${kinds[0]}`);
  const operation = f.operation as OperationId;
  if (f.noBody !== undefined) {
    if (f.noBody !== true) fail("noBody must be true");
    if (!bodyOptional.has(operation))
      fail(
        `noBody is for ${[...bodyOptional].join(" and ")}, whose success the spec lets come without a body; not ${operation}`,
      );
    return { operation, count: count as number, noBody: true };
  }
  if (f.drop !== undefined) {
    if (f.drop !== true) fail("drop must be true");
    return { operation, count: count as number, drop: true };
  }
  if (f.delayMs !== undefined) {
    if (!whole(f.delayMs, 0, 600_000)) fail("delayMs must be a whole number of ms, 0 to 600000");
    return { operation, count: count as number, delayMs: f.delayMs as number };
  }
  if (!whole(f.status, 400, 599))
    fail(`status must be 400 to 599; got ${JSON.stringify(f.status)}`);
  const { retryAfter, body } = f;
  if (retryAfter !== undefined && !whole(retryAfter, 0, 2 ** 31) && typeof retryAfter !== "string")
    fail("retryAfter must be whole seconds or an HTTP date");
  if (typeof retryAfter === "string" && !printable(retryAfter))
    fail("retryAfter must be printable ASCII");
  const { contentType } = f;
  if (contentType !== undefined) {
    if (typeof body !== "string") fail("contentType goes with a string body only");
    if (
      typeof contentType !== "string" ||
      !printable(contentType) ||
      !readableAnswerType(contentType)
    )
      fail(
        `contentType must be a media type, such as text/html; got ${JSON.stringify(contentType)}`,
      );
  }
  const shaped = body as RestFailedRsp | undefined;
  if (
    body !== undefined &&
    typeof body !== "string" &&
    (typeof shaped?.error_code !== "string" || typeof shaped.error_msg !== "string")
  )
    fail("body must be { error_code, error_msg }, both strings, or a string sent as it is");
  return {
    operation,
    count: count as number,
    status: f.status as number,
    ...(retryAfter !== undefined && { retryAfter: retryAfter as number | string }),
    ...(typeof body === "string"
      ? { body, ...(contentType !== undefined && { contentType: contentType as string }) }
      : shaped && { body: { error_code: shaped.error_code, error_msg: shaped.error_msg } }),
  };
}

/** The first fault waiting for `operation`, and the faults after it took one answer. */
export function takeFault(
  faults: readonly Fault[],
  operation: OperationId,
): { fault: Fault | undefined; faults: readonly Fault[] } {
  const at = faults.findIndex((f) => f.operation === operation);
  const fault = faults[at];
  if (!fault) return { fault, faults };
  const rest = faults.filter((_, i) => i !== at);
  if (fault.count > 1) rest.splice(at, 0, { ...fault, count: fault.count - 1 });
  return { fault, faults: rest };
}

/**
 * The answer a status fault gives: its body, or the spec's example for that status. A string body
 * is `text`, sent as it is.
 */
export function faultAnswer(
  facts: Facts,
  fault: StatusFault,
): SimAnswer | { status: number; text: string; contentType?: string } {
  if (typeof fault.body === "string")
    return { status: fault.status, text: fault.body, contentType: fault.contentType };
  const body = fault.body ?? facts.documented(fault.operation, fault.status)?.body;
  return { status: fault.status, body: body ?? faultBody(fault.status) };
}
