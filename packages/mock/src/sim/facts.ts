// What the simulator takes from the spec, so that no code, status, lifetime or polarity is
// written by hand: the answers it gives are the spec's own examples.
import { bodyOptional, type RestFailedRsp, type Scenario } from "../spec.js";

export type OperationId = Scenario["operationId"];
export type ControlOperation = Exclude<OperationId, "CreateConfToken">;

/** An answer of the simulator, before any transport: a status and a JSON body. */
export interface SimAnswer {
  status: number;
  body: unknown;
}

/** The spec's examples the simulator answers with (their names in the paths' responses). */
export type Refusal =
  | "confNotFoundOrAuthFailed"
  | "confDataNotFound"
  | "confLocked"
  | "audioSiteNotSupport"
  | "confNotSupportInviteOpenVideo"
  | "requestTokenNull"
  | "illegalRequest";

const CONTROL: Refusal[] = [
  "confNotFoundOrAuthFailed",
  "confDataNotFound",
  "confLocked",
  "audioSiteNotSupport",
  "requestTokenNull",
  "illegalRequest",
];
/** The answers each operation can get from the simulator: checked at start. */
const NEEDED: Record<OperationId, Refusal[]> = {
  CreateConfToken: ["confNotFoundOrAuthFailed"],
  InviteOperateVideo: [...CONTROL, "confNotSupportInviteOpenVideo"],
  InviteShare: CONTROL,
};

export interface Facts {
  /** The spec's answer `name` to `operation`: its status and example body. */
  refusal(operation: OperationId, name: Refusal): SimAnswer;
  /** The first answer the spec documents for `status` on `operation`, if it has one. */
  documented(operation: OperationId, status: number): SimAnswer | undefined;
  /** The success answer of each operation (CreateConfToken's is the template of a new token). */
  success: Record<OperationId, SimAnswer>;
  /** How long a token lives, in ms: the spec example's `confTokenExpireTime`. */
  tokenLifetimeMs: number;
  /** Each control operation's body field, and the action each value of it asks for. */
  actions: Record<ControlOperation, { field: string; names: readonly string[] }>;
  /** The operations whose 200 the spec marks `x-body-optional`: it may come without a body. */
  bodyOptional: ReadonlySet<OperationId>;
}

// biome-ignore lint/suspicious/noExplicitAny: a parsed JSON document, walked by its known keys
type Json = any;

/** The facts, from the bundled spec `root` and its scenarios. Throws if one is missing. */
export function factsFrom(
  root: Json,
  scenarios: Scenario[],
  deref: (root: Json, node: Json) => Json,
): Facts {
  const find = (operation: OperationId, test: (s: Scenario) => boolean) =>
    scenarios.find((s) => s.operationId === operation && test(s));
  const answerOf = (s: Scenario): SimAnswer => ({ status: s.status, body: s.body });
  const refusals = new Map<string, SimAnswer>();
  for (const s of [...scenarios].reverse())
    refusals.set(`${s.operationId} ${s.example}`, answerOf(s));
  for (const [operation, names] of Object.entries(NEEDED))
    for (const name of names)
      if (!refusals.has(`${operation} ${name}`))
        throw new Error(`meeting-control-mock: the spec has no ${name} example for ${operation}`);
  const success = {} as Record<OperationId, SimAnswer>;
  const actions = {} as Facts["actions"];
  const bare = new Set<OperationId>();
  for (const [path, item] of Object.entries<Json>(root.paths)) {
    for (const [method, op] of Object.entries<Json>(item)) {
      const operation = op.operationId as OperationId;
      const ok = find(operation, (s) => s.status === 200);
      if (!ok)
        throw new Error(`meeting-control-mock: the spec has no 200 example for ${operation}`);
      success[operation] = answerOf(ok);
      if (bodyOptional(root, path, method, 200)) bare.add(operation);
      const schema = deref(root, op.requestBody?.content?.["application/json"]?.schema);
      const [field, property] = Object.entries<Json>(schema?.properties ?? {})[0] ?? [];
      if (!field) continue;
      const names: string[] = [];
      property.enum.forEach((value: number, i: number) => {
        names[value] = property["x-enum-varnames"]?.[i];
      });
      if (names.some((name) => !name))
        throw new Error(`meeting-control-mock: ${operation}'s ${field} has no x-enum-varnames`);
      actions[operation as ControlOperation] = { field, names };
    }
  }
  const lifetime = (success.CreateConfToken.body as Json)?.data?.confTokenExpireTime;
  if (!Number.isInteger(lifetime))
    throw new Error("meeting-control-mock: the spec's token example has no confTokenExpireTime");
  return {
    refusal: (operation, name) => refusals.get(`${operation} ${name}`) as SimAnswer,
    documented: (operation, status) => {
      const found = find(operation, (s) => s.status === status);
      return found && answerOf(found);
    },
    success,
    tokenLifetimeMs: lifetime * 1000,
    actions,
    bodyOptional: bare,
  };
}

/** A `RestFailedRsp` of the mock's own, for an injected status the spec documents nothing for. */
export const faultBody = (status: number): RestFailedRsp => ({
  error_code: "MOCK.FAULT",
  error_msg: `A fault injected into the mock: HTTP ${status}`,
});
