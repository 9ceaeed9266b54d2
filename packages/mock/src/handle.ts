// One request: CORS preflight, the body, Prism's engine, and Prism's answer written back with
// the mock's own request id. Prism's findings go in `sl-violations`, as its own server sends them.
import { AsyncLocalStorage } from "node:async_hooks";
import type { IncomingMessage, ServerResponse } from "node:http";
import { answer, own, slViolations, stamp } from "./answers.js";
import type { Engine, Operation, Prism, PrismConfig, PrismInput, Violation } from "./engine.js";
import { readableAccept, readableRequestType } from "./media-type.js";
import { PROXY_ROUTES } from "./proxy/admin.js";
import { type Proxying, proxied, refuseUnreadable, register, shownIds } from "./proxy/http.js";
import { credentialsOf, redacting } from "./proxy/secrets.js";
import type { Hider } from "./redact.js";
import {
  beforeTooLarge,
  decoded,
  INVALID,
  parseBody,
  pathOf,
  queryOf,
  readBody,
  routed,
  unreadCoding,
  urlOf,
} from "./request.js";
import { type AdminHosts, admin } from "./sim/admin.js";
import { isAdmin, requestRedactor, type Simulation, simulated, track } from "./sim/http.js";
import { JOURNAL_BODY_BYTES } from "./sim/journal.js";
import { isTokenlessBasic } from "./sim/tokens.js";
import { invalidParameter, type RestFailedRsp, type Scenario, scenarios } from "./spec.js";

export interface HandlerSetup {
  engine: Engine;
  prism: Prism;
  operations: Operation[];
  config: PrismConfig;
  bodyLimit: number;
  cors: boolean;
  /** Origins besides loopback's whose pages may call the admin routes (`adminOriginsOf`). */
  adminOrigins: ReadonlySet<string>;
  /** The hosts the admin routes answer requests to (`adminHostsOf`). */
  adminHosts: AdminHosts;
  /**
   * One line per request (method, path, status, request id) when verbose; never a header, and
   * the request's credentials taken out of its path.
   */
  log?: (line: string) => void;
  /** Simulate mode: the simulator decides the answer to every request Prism finds valid. */
  sim?: Simulation;
  /** Proxy mode: valid requests go to the upstream, and its answers are checked. */
  proxy?: Proxying;
}

/** Prism's own 406, as its negotiator words it for a type it has no answer in. */
const notAcceptable = (accept: string) =>
  own.prism({ name: "#NOT_ACCEPTABLE", detail: `Unable to find content for ${accept}` });

/**
 * The redactor of the request Prism is working on, for its log lines (see `prismLines`): Prism
 * writes them at once, in that request's async context. Set only with a log.
 */
export const prismWorkingOn = new AsyncLocalStorage<Hider>();

/**
 * What takes `req`'s credentials out of what the mock shows of it (an answer, `sl-violations`,
 * the log, proxy mode's report): the request's own, in simulate mode every host password and
 * issued token (the journal's redactor, one per request), and in proxy mode every token its
 * upstream issued. It is built only when something is shown: with a thousand tokens issued,
 * building it takes about 2 ms, far more than a request without a log line. In proxy mode it is
 * built again once a token was issued since (this request's answer, or another's), so what is
 * shown after an answer hides the token that answer issued.
 */
export function hiderOf(setup: HandlerSetup, req: IncomingMessage): Hider {
  const { sim, proxy } = setup;
  let redact: (<T>(value: T) => T) | undefined;
  let built = 0;
  return () => {
    if (redact && built === (proxy?.tokens.added ?? 0)) return redact;
    built = proxy?.tokens.added ?? 0;
    redact = sim
      ? requestRedactor(sim, req)
      : redacting([...credentialsOf(req.headers), ...(proxy?.tokens.values() ?? [])]);
    return redact;
  };
}

export async function handle(setup: HandlerSetup, req: IncomingMessage, res: ServerResponse) {
  // A client can vanish at any moment: its errors end this request, never the process.
  req.on("error", () => {});
  res.on("error", () => {});
  const id = stamp(setup, res);
  const hide = hiderOf(setup, req);
  logged(setup, req, res, id, hide);
  const { sim, proxy } = setup;
  if (sim && isAdmin(req)) return admin(sim.simulator, setup, req, res, hide);
  if (proxy && isAdmin(req)) return admin(proxy.report, setup, req, res, hide, PROXY_ROUTES);
  if (setup.cors) {
    if (
      req.method === "OPTIONS" &&
      req.headers.origin &&
      req.headers["access-control-request-method"]
    ) {
      const methods = new Set(allowedMethods(setup.operations));
      res.setHeader("Access-Control-Allow-Methods", [...methods, "OPTIONS"].join(", "));
      res.setHeader(
        "Access-Control-Allow-Headers",
        req.headers["access-control-request-headers"] || "*",
      );
      res.setHeader("Access-Control-Max-Age", "600");
      res.writeHead(204, { "Content-Length": "0" }).end();
      return;
    }
  }

  const draft = sim && track(sim, req, res, id, hide);
  const read = await readBody(req, setup.bodyLimit);
  if (read === "aborted") {
    res.destroy();
    return;
  }
  if (read === "too-large") {
    await beforeTooLarge(req, res);
    // Unless the rest of the body broke off as malformed, and got its 400 (the clientError
    // handler).
    if (!res.headersSent) answer(res, 413, own.tooLarge(setup.bodyLimit));
    return;
  }

  const url = urlOf(req);
  if (!url) {
    answer(res, 400, own.badRequest());
    return;
  }
  // A body in a coding the mock cannot undo is refused, not judged as the bytes it came in (a
  // proxy hands it on as it came: the upstream decides).
  const coding = read.length && !proxy ? unreadCoding(req) : undefined;
  if (coding) {
    // RFC 9110 15.5.16: a 415 for a content coding names the ones the server takes.
    if (coding.status === 415) res.setHeader("Accept-Encoding", "identity");
    answer(
      res,
      coding.status,
      own.unreadCoding(coding.status, coding.header, hide()(coding.value)),
    );
    return;
  }
  // A proxy checks a gzip (deflate, br) body as it decodes, and forwards it as it came.
  const checked = proxy ? decoded(req.headers["content-encoding"], read, setup.bodyLimit) : read;
  const parsed = parseBody(req, checked);
  // Malformed JSON is the service's 400. A proxy hands it to Prism as text instead, which finds
  // it invalid: it is reported as refused, or forwarded as it came with forwardInvalid.
  const body = parsed === INVALID ? checked.toString("utf8") : parsed;
  if (draft) {
    // A large body parsed can take 20 times its size: the journal keeps the start of its text.
    if (read.length > JOURNAL_BODY_BYTES) draft.text = read.toString("utf8");
    else draft.body = body;
  }
  if (parsed === INVALID && !proxy) {
    answer(res, 400, invalidParameter());
    return;
  }
  const input: PrismInput = {
    method: (req.method ?? "GET").toLowerCase(),
    url: {
      path: url.pathname,
      // `__server`, like `Prefer` and `__code`, is Prism's and so only contract mode's.
      baseUrl: (!sim && !proxy && url.searchParams.get("__server")) || undefined,
      query: exactly(queryOf(url.searchParams), setup.operations),
    },
    // A chunked body's length as Content-Length would give it: Prism refuses a body to an
    // operation that takes none by that header alone, and framing is not the request's meaning.
    headers:
      read.length && req.headers["content-length"] === undefined
        ? { ...req.headers, "content-length": String(read.length) }
        : req.headers,
    body,
  };

  // A Content-Type Prism cannot parse would throw inside it: the service refuses such a request.
  const type = req.headers["content-type"];
  if (type && !readableRequestType(type)) {
    if (proxy) refuseUnreadable(proxy, setup.operations, req, res, input, hide);
    else answer(res, 400, invalidParameter());
    return;
  }

  // An Accept range Prism cannot parse would throw inside it when no other range matches (a 500):
  // Prism gets what can be read of it, and an Accept of nothing readable is no Accept. The
  // upstream still gets the header as it came.
  if (!proxy && req.headers.accept !== undefined) {
    const accept = readableAccept(req.headers.accept);
    if (accept === null) {
      answer(res, 406, hide()(notAcceptable(req.headers.accept)));
      return;
    }
    const { accept: _, ...rest } = input.headers;
    input.headers = accept ? { ...rest, accept } : rest;
  }

  // `Prefer` picks one of the spec's answers; a simulator or the upstream decides its own.
  const mock = { ...setup.config.mock };
  if (proxy) register(proxy, req, res, input, read);
  else if (!sim) {
    const preferences = setup.engine.getHttpConfigFromRequest(input);
    if (preferences._tag === "Left") {
      answer(res, preferences.left.status ?? 422, hide()(own.prism(preferences.left)));
      return;
    }
    for (const [key, value] of Object.entries(preferences.right))
      if (value !== undefined) Object.assign(mock, { [key]: value });
  }
  const call = setup.prism.request(input, setup.operations, { ...setup.config, mock });
  const result = await (setup.log ? prismWorkingOn.run(hide, call) : call());
  if (proxy && proxied(proxy, setup.operations, req, res, input, result, hide)) return;

  if (result._tag === "Left") {
    const { name = "", status = 500 } = result.left;
    if (name.endsWith("#NO_PATH_MATCHED_ERROR"))
      return answer(res, 404, own.notFound(hide()(url.pathname)));
    if (name.endsWith("#NO_METHOD_MATCHED_ERROR")) {
      const allowed = allowedMethods(setup.operations, url.pathname);
      res.setHeader("Allow", allowed.join(", "));
      return answer(res, 405, own.methodNotAllowed(hide()(req.method ?? ""), allowed));
    }
    // With a `Prefer: code=…`, Prism wraps its negotiator's 406 in an error with no status.
    if (/#NOT_ACCEPTABLE/.test(`${name} ${result.left.message ?? ""}`))
      return answer(res, 406, hide()(notAcceptable(req.headers.accept ?? "")));
    return answer(res, status, hide()(own.prism(result.left)));
  }

  const { output } = result.right;
  const validations = {
    ...result.right.validations,
    input: [
      ...result.right.validations.input,
      ...notIntegers(setup.operations, input, result.right.validations.input),
    ],
  };
  const violations = [
    ...validations.input.map((v) => violation("request", v)),
    ...validations.output.map((v) => violation("response", v)),
  ];
  // Prism's messages quote what they found (a body key that is a token, say).
  if (violations.length) slViolations(res, violations, hide());
  // A request that breaks the spec gets the service's answer to it, 400 USG.000000003, not the
  // first 400 example Prism finds (which is the code a client reads as "token rejected"). A
  // missing token keeps Prism's 401: the service checks it first.
  if (output.statusCode !== 401 && validations.input.some((v) => v.severity === 0)) {
    answer(res, 400, invalidParameter());
    return;
  }
  // Any token does in contract mode, but a `Basic` value with none in it gets the service's 401
  // to a token it never gave, as the simulator answers it.
  const refusal = !sim && !proxy && output.statusCode !== 401 && tokenless(input);
  if (refusal) return answer(res, refusal.status, refusal.body as RestFailedRsp);
  if (draft?.operation && output.statusCode !== 401)
    return simulated(sim as Simulation, res, input, draft, id);
  for (const [name, value] of Object.entries(output.headers ?? {}))
    res.setHeader(name, value as string | string[]);
  res.setHeader("X-Request-Id", id);
  const bytes = setup.engine.serialize(output.body, res.getHeader("content-type"));
  res.statusCode = output.statusCode;
  res.end(bytes);
}

/** With --verbose: one line for `req` once its answer is written. */
export function logged(
  setup: HandlerSetup,
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
  hide: Hider,
) {
  if (!setup.log) return;
  const log = setup.log;
  const started = performance.now();
  res.once("finish", () =>
    log(
      `${hide()(`${req.method} ${pathOf(req)}`)} → ${res.statusCode} (${(performance.now() - started).toFixed(1)} ms, X-Request-Id ${shownIds.get(res)?.() ?? (res.hasHeader("x-request-id") ? id : "none")})`,
    ),
  );
}

/**
 * `query` without the keys that differ only in case from a query parameter of the spec's
 * (`conferenceid`): Prism matches names in any case, the service does not, so such a key is a
 * missing parameter, and the one spelt right is the one judged.
 */
function exactly(query: Record<string, string | string[]>, operations: Operation[]) {
  let names = QUERY_NAMES.get(operations);
  if (!names) {
    const all = (operations as Routed[]).flatMap((o) => o.request?.query?.map((q) => q.name) ?? []);
    names = { exact: new Set(all), lower: new Set(all.map((name) => name.toLowerCase())) };
    QUERY_NAMES.set(operations, names);
  }
  const { exact, lower } = names;
  return Object.fromEntries(
    Object.entries(query).filter(([key]) => exact.has(key) || !lower.has(key.toLowerCase())),
  );
}

/** The spec's query parameter names, once per set of operations. */
const QUERY_NAMES = new WeakMap<Operation[], { exact: Set<string>; lower: Set<string> }>();

/**
 * The integer header and query parameters of the operation `input` is routed to whose text is
 * not an integer's (`0x1`, `1.0`, `1e0`, `01`, `+1`), as Prism's findings: Prism reads such a text
 * as the number it converts to, while a serialized integer is its decimal digits, and a service
 * that parses the text as an integer would refuse it. A parameter Prism's `found` already has a
 * finding on is left to it.
 */
function notIntegers(operations: Operation[], input: PrismInput, found: Violation[]): Violation[] {
  const at = routed(input.url.path);
  const operation = (operations as Routed[]).find(
    (op) => op.method === input.method && op.path === at,
  );
  const more: Violation[] = [];
  const judged = new Set(found.map((v) => v.path?.join("\n")));
  for (const [where, params, values] of [
    ["header", operation?.request?.headers, input.headers],
    ["query", operation?.request?.query, input.url.query],
  ] as const) {
    for (const { name, schema } of params ?? []) {
      if (schema?.type !== "integer") continue;
      const key = where === "header" ? name.toLowerCase() : name;
      const value = values[key];
      if (value === undefined || judged.has(`${where}\n${key}`)) continue;
      for (const text of [value].flat())
        if (!/^(0|-?[1-9][0-9]*)$/.test(text ?? ""))
          more.push({
            path: [where, key],
            code: "type",
            message: `Request ${where} parameter ${key} must be an integer written in decimal digits`,
            severity: 0,
          });
    }
  }
  return more;
}

/**
 * The spec's `illegalRequest` answer of the operation `input` is routed to, when `input` carries a
 * `Basic` token header with no token in it; `undefined` otherwise, or where the operation
 * documents no such answer (CreateConfToken takes no token).
 */
function tokenless(input: PrismInput): Scenario | undefined {
  if (!isTokenlessBasic(input.headers["x-conference-authorization"])) return undefined;
  ILLEGAL ??= scenarios().filter((s) => s.status === 401 && s.example === "illegalRequest");
  const at = routed(input.url.path);
  return ILLEGAL.find((s) => s.method === input.method.toUpperCase() && s.path === at);
}
/** The spec's 401 `illegalRequest` answers, read once. */
let ILLEGAL: Scenario[] | undefined;

/** An operation of the spec, as far as the mock reads it. */
interface Routed {
  method: string;
  path: string;
  request?: Partial<Record<"headers" | "query", { name: string; schema?: { type?: unknown } }[]>>;
}

/** The methods of the spec's operations: at `path` (read as Prism routes it), or anywhere. */
export function allowedMethods(operations: Operation[], path?: string): string[] {
  const at = path === undefined ? undefined : routed(path);
  return (operations as Routed[])
    .filter((op) => at === undefined || op.path === at)
    .map((op) => op.method.toUpperCase());
}

/** A violation as Prism's server reports it in `sl-violations`. */
const violation = (prefix: string, v: Violation) => ({
  location: [prefix, ...(v.path ?? [])],
  severity: ["Error", "Warning", "Information", "Hint"][v.severity] ?? String(v.severity),
  code: v.code,
  message: v.message,
});
