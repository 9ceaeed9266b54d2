// The admin routes under ADMIN_PREFIX: the typed API of the simulator over HTTP, for curl and
// for users of other languages. Bad input gets 400 in the service's error shape.
import type { IncomingMessage, ServerResponse } from "node:http";
import { isIP } from "node:net";
import { answer, json, own } from "../answers.js";
import { LOOPBACK } from "../proxy/upstream.js";
import type { Hider } from "../redact.js";
import { beforeTooLarge, readBody, urlOf } from "../request.js";
import type { RestFailedRsp } from "../spec.js";
import type { OperationId } from "./facts.js";
import type { FaultInput } from "./faults.js";
import { ADMIN_PREFIX } from "./http.js";
import { SimulatorInputError } from "./meetings.js";
import type { Simulator } from "./simulator.js";

type Reply = [status: number, body: unknown];
/** An admin route over `T`: the simulator, or proxy mode's report. */
export interface Route<T = Simulator> {
  method: string;
  path: RegExp;
  run(target: T, input: { params: string[]; query: URLSearchParams; body: unknown }): Reply;
}

const now = (sim: Simulator) => ({ now: new Date(sim.now()).toISOString() });

const ROUTES: Route<Simulator>[] = [
  { method: "GET", path: /^\/meetings$/, run: (sim) => [200, { meetings: sim.meetings() }] },
  {
    method: "GET",
    path: /^\/meetings\/([^/]+)$/,
    run: (sim, { params: [id = ""] }) => {
      const meeting = sim.meeting(id);
      return meeting ? [200, meeting] : [404, own.noMeeting(id, `${ADMIN_PREFIX}/meetings`)];
    },
  },
  {
    method: "GET",
    path: /^\/requests$/,
    run: (sim, { query }) => {
      const operation = (query.get("operation") ?? undefined) as OperationId | undefined;
      return [200, { requests: sim.requests({ operation }) }];
    },
  },
  {
    method: "POST",
    path: /^\/reset$/,
    run: (sim) => {
      sim.reset();
      return [200, now(sim)];
    },
  },
  { method: "GET", path: /^\/clock$/, run: (sim) => [200, now(sim)] },
  {
    method: "POST",
    path: /^\/clock$/,
    run: (sim, { body }) => {
      const { advanceMs, ...rest } = Object(body);
      if (advanceMs === undefined || Object.keys(rest).length)
        throw new SimulatorInputError('send { "advanceMs": <ms> } and nothing else');
      sim.advanceTime(advanceMs);
      return [200, now(sim)];
    },
  },
  { method: "GET", path: /^\/faults$/, run: (sim) => [200, { faults: sim.faults() }] },
  {
    method: "POST",
    path: /^\/faults$/,
    run: (sim, { body }) => [201, { faults: sim.fault(body as FaultInput) }],
  },
  {
    method: "DELETE",
    path: /^\/faults$/,
    run: (sim) => {
      sim.clearFaults();
      return [200, { faults: [] }];
    },
  },
];

/**
 * Whether the admin routes answer a request with this Origin header: none (curl, Node, a
 * same-origin GET), a page on loopback, or one of `extra` (`adminOrigins`; `*` is any). A page of
 * any other site, open in the developer's browser, could otherwise reset the simulator or queue
 * faults with a form's POST, which needs no preflight: CORS only hides the answer from it.
 */
export function adminOriginAllowed(origin: string | undefined, extra: ReadonlySet<string>) {
  if (origin === undefined || extra.has("*") || extra.has(origin)) return true;
  const url = URL.canParse(origin) ? new URL(origin) : undefined;
  // A page there is the developer's own.
  return (url?.protocol === "http:" || url?.protocol === "https:") && onLoopback(url.hostname);
}

/**
 * Whether a URL's hostname is loopback: `localhost`, `127.x`, `[::1]`, and also `*.localhost`,
 * which browsers resolve to loopback themselves, a trailing dot, and 127.x mapped into IPv6
 * (`[::ffff:127.0.0.1]`, which a URL writes `[::ffff:7f00:1]`).
 */
function onLoopback(hostname: string) {
  const name = hostname.replace(/\.$/, "");
  return (
    LOOPBACK.test(name) ||
    name.endsWith(".localhost") ||
    /^\[::ffff:7f[\da-f]{2}:[\da-f]{1,4}\]$/.test(name)
  );
}

/** `host` (a name or an address, and a port) as a URL writes its hostname, or "". */
const hostnameOf = (host: string) =>
  URL.canParse(`http://${host}`) ? new URL(`http://${host}`).hostname : "";

/** The hosts the admin routes answer requests to (`adminHostAllowed`), from `adminHostsOf`. */
export interface AdminHosts {
  /** Names, lowercased: exact, `.example.com` for it and every name under it, or `*` for any. */
  names: ReadonlySet<string>;
  /** Whether a name of one label is answered: only when the mock listens beyond loopback. */
  oneLabel: boolean;
}

/**
 * The host `req` is to: its target's authority when the target is in absolute form (RFC 9112
 * §3.2.2), else its Host header; undefined with neither (HTTP/1.0), null with two Host headers.
 */
export function hostOf(req: Pick<IncomingMessage, "url" | "headers" | "rawHeaders">) {
  const target = req.url ?? "";
  if (!target.startsWith("/") && URL.canParse(target)) return new URL(target).host;
  const given = req.rawHeaders.filter((value, i) => i % 2 === 0 && value.toLowerCase() === "host");
  return given.length > 1 ? null : req.headers.host;
}

/**
 * Whether the admin routes answer a request to `host` (`hostOf`): none (HTTP/1.0), a loopback
 * name (`onLoopback`), an IP address, one of `allowed.names`, or a name of one label (a
 * container's, such as `mock`) when `allowed.oneLabel`. A page that reaches the mock by DNS
 * rebinding names its own site: its same-origin GETs send no Origin, so the origin check cannot
 * refuse them. A one-label name can be rebound too, by whatever answers for such names on the
 * network (its DNS server, LLMNR peers), so it counts only for a mock that listens beyond
 * loopback, where the network reaches it anyway; with a trailing dot it is a top-level domain.
 */
export function adminHostAllowed(host: string | null | undefined, allowed: AdminHosts) {
  if (host === undefined || allowed.names.has("*")) return true;
  // A name or an IPv6 address in brackets, and a port: nothing `new URL` would read past.
  if (host === null || !/^(\[[\da-f:.]+\]|[^\s:/?#@[\]\\%]+)(:\d*)?$/i.test(host)) return false;
  const name = hostnameOf(host);
  const bare = name.replace(/\.$/, "");
  if (!bare) return false;
  if (onLoopback(name) || isIP(bare.replace(/^\[(.*)\]$/, "$1"))) return true;
  if (allowed.oneLabel && /^[\w-]+$/.test(name)) return true;
  // The name itself, or `.` and it or any name it ends with.
  const labels = bare.split(".");
  return (
    allowed.names.has(bare) ||
    labels.some((_, i) => allowed.names.has(`.${labels.slice(i).join(".")}`))
  );
}

/**
 * Checks `adminHosts`: each a host name, `.` or `*.` and a name (it and every name under it), or
 * `*`; throws a RangeError. `own` is the host the mock listens on: a request to that name is one
 * to it, and one-label names are answered only when it is not loopback (`AdminHosts`).
 */
export function adminHostsOf(hosts: readonly string[] | undefined, own: string): AdminHosts {
  if (hosts !== undefined && !Array.isArray(hosts))
    throw new RangeError(
      `meeting-control-mock: adminHosts must be an array of host names; got ${typeof hosts}`,
    );
  // As a URL writes it (`::ffff:127.0.0.1` is `[::ffff:7f00:1]`, an IDN in punycode), as `Host` has it.
  const bracketed = isIP(String(own)) === 6 ? `[${own}]` : String(own);
  const listening = hostnameOf(bracketed) || bracketed.toLowerCase();
  const names = new Set([listening.replace(/\.$/, "")]);
  for (const host of hosts ?? []) {
    const name = typeof host === "string" ? host.replace(/^\*?\./, "") : "";
    const parsed = /^[^\s:/?#@[\]\\%*]+$/.test(name) ? hostnameOf(name).replace(/\.$/, "") : "";
    if (host === "*") names.add(host);
    else if (parsed) names.add(name === host ? parsed : `.${parsed}`);
    else
      throw new RangeError(
        `meeting-control-mock: adminHosts (--admin-host) must hold host names such as mock.ci.internal (no scheme or port), .ci.internal for it and every name under it, or *; got ${typeof host === "string" ? host : typeof host}`,
      );
  }
  return { names, oneLabel: !onLoopback(listening) };
}

/** Checks `adminOrigins`: each an origin (scheme, host, port) or `*`; throws a RangeError. */
export function adminOriginsOf(origins: readonly string[] = []): ReadonlySet<string> {
  if (!Array.isArray(origins))
    throw new RangeError(
      `meeting-control-mock: adminOrigins must be an array of origins; got ${typeof origins}`,
    );
  for (const origin of origins)
    if (
      origin !== "*" &&
      (typeof origin !== "string" || !URL.canParse(origin) || new URL(origin).origin !== origin)
    )
      throw new RangeError(
        `meeting-control-mock: adminOrigins (--admin-origin) must hold origins such as http://web:3000 (scheme, host and port; no path or trailing slash) or *; got ${typeof origin === "string" ? origin : typeof origin}`,
      );
  return new Set(origins);
}

/** What the admin routes take from the server's setup. */
export interface AdminSetup {
  bodyLimit: number;
  /** Origins besides loopback's whose pages may call them: `adminOriginsOf`. */
  adminOrigins: ReadonlySet<string>;
  /** The hosts they answer requests to: `adminHostsOf`. */
  adminHosts: AdminHosts;
}

/**
 * Answers one admin request: a route of `routes` (the simulator's by default) over `sim`. An
 * error's message, which may quote the path or the body, goes through `hide` (the request's
 * redactor): a host password or token put there by mistake reads `[redacted]`. A request to a
 * host `adminHostAllowed` refuses, or from a page of an origin `adminOriginAllowed` refuses, gets
 * 403, and nothing is done.
 */
export async function admin<T = Simulator>(
  sim: T,
  { bodyLimit, adminOrigins, adminHosts }: AdminSetup,
  req: IncomingMessage,
  res: ServerResponse,
  hide: Hider,
  routes = ROUTES as unknown as Route<T>[],
) {
  const url = urlOf(req) as URL;
  const path = url.pathname.slice(ADMIN_PREFIX.length);
  const here = routes.filter((r) => r.path.test(path));
  const methods = [...new Set(here.map((r) => r.method))];
  const { origin } = req.headers;
  const host = hostOf(req);
  const refusal = !adminHostAllowed(host, adminHosts)
    ? own.forbiddenHost(host === null ? "two Host headers" : hide()(host) || "no host")
    : !adminOriginAllowed(origin, adminOrigins)
      ? own.forbiddenOrigin(hide()(String(origin)))
      : undefined;
  const refuse = (why: RestFailedRsp) => answer(res, 403, hide()(why));
  if (req.method === "OPTIONS" && origin && req.headers["access-control-request-method"]) {
    if (refusal) return refuse(refusal);
    res.setHeader("Access-Control-Allow-Methods", [...methods, "OPTIONS"].join(", "));
    res.setHeader(
      "Access-Control-Allow-Headers",
      req.headers["access-control-request-headers"] || "*",
    );
    res.writeHead(204, { "Content-Length": "0" }).end();
    return;
  }
  const read = await readBody(req, bodyLimit);
  if (read === "aborted") return void res.destroy();
  if (read === "too-large") await beforeTooLarge(req, res);
  if (refusal) return refuse(refusal);
  if (read === "too-large") return answer(res, 413, own.tooLarge(bodyLimit));
  if (here.length === 0) return answer(res, 404, own.noAdminRoute(hide()(url.pathname)));
  const route = here.find((r) => r.method === req.method);
  if (!route) {
    res.setHeader("Allow", methods.join(", "));
    return answer(
      res,
      405,
      hide()(own.methodNotAllowed(req.method ?? "", methods, "this admin route")),
    );
  }
  try {
    let body: unknown = null;
    if (read.length) {
      try {
        body = JSON.parse(read.toString("utf8"));
      } catch {
        throw new SimulatorInputError("the body is not JSON");
      }
    }
    const params = (route.path.exec(path) ?? []).slice(1).map((p) => safeDecode(p));
    const [status, reply] = route.run(sim, { params, query: url.searchParams, body });
    json(res, status, status >= 400 ? hide()(reply) : reply);
  } catch (error) {
    if (!(error instanceof SimulatorInputError)) throw error;
    answer(res, 400, hide()(own.adminInput(`${req.method} ${url.pathname}: ${error.message}`)));
  }
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
