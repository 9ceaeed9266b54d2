// @meeting-control/mock: the contract mock of Huawei Cloud Meeting's meeting-control API. One
// process: a node:http server in the caller's own, with Prism's engine deciding every answer
// from the bundled spec.
import type { AddressInfo } from "node:net";
import { loadEngine, type PrismConfig } from "./engine.js";
import { type ProxyApi, type ProxyOptions, proxyApiOf, proxyMode } from "./proxy/api.js";
import { isItself } from "./proxy/upstream.js";
import { createMockHttpServer, prismLines } from "./server.js";
import { adminHostsOf, adminOriginsOf } from "./sim/admin.js";
import {
  apiOf,
  type SimulateOptions,
  type SimulatorApi,
  simulation,
  simulationEngine,
} from "./sim/api.js";
import type { MeetingInput } from "./sim/meetings.js";
import { specJsonPath } from "./spec.js";

export type { ProxyApi, ProxyOptions } from "./proxy/api.js";
export type { ContractViolation, ProxyReport, ViolationEntry } from "./proxy/report.js";
export { lineOf, summaryOf } from "./proxy/report.js";
export type { Invitation } from "./sim/core.js";
export type { Fault, FaultInput } from "./sim/faults.js";
export { ADMIN_PREFIX } from "./sim/http.js";
export type { JournalEntry } from "./sim/journal.js";
export { type MeetingInput, type ParticipantInput, SimulatorInputError } from "./sim/meetings.js";
export type { MeetingView } from "./sim/simulator.js";
export { type RestFailedRsp, type Scenario, scenarios, specPath } from "./spec.js";
export type { SimulateOptions, SimulatorApi };

export interface MockServerOptions {
  /** Port to listen on; 0 picks a free one. Default 4010. */
  port?: number;
  /** Host to listen on. Default 127.0.0.1. */
  host?: string;
  /** Generate answers from the schemas instead of the spec's examples (loads faker). */
  dynamic?: boolean;
  /** Largest request body accepted, in bytes; a larger one gets 413. Default 65 536 (64 KB). */
  bodyLimit?: number;
  /** CORS headers for browsers: any origin, without credentials. Default true. */
  cors?: boolean;
  /**
   * Simulate and proxy mode: origins besides loopback's (localhost, *.localhost, 127.x, [::1])
   * whose pages may call the admin routes, such as `http://web:3000`; `"*"` lets any page. A
   * request with no Origin header (curl, Node, other languages) is always answered. Default none.
   */
  adminOrigins?: string[];
  /**
   * Simulate and proxy mode: host names the admin routes answer requests to besides loopback's,
   * IP addresses, `host`, and one-label names (a container's, such as `mock`) when `host` is not
   * loopback: such as `host.docker.internal`, or `.ci.internal` (or `*.ci.internal`) for it and
   * every name under it; `"*"` for any. A page that reaches the mock by DNS rebinding names its
   * own site in `Host`. Default none.
   */
  adminHosts?: string[];
  /**
   * Log each request (method, path, status, time, request id) and Prism's own messages at info
   * level: `true` for stderr, or a function that takes each line. Headers are never logged.
   */
  verbose?: boolean | ((line: string) => void);
  /** @deprecated The mock starts in-process now; this is ignored. */
  startTimeoutMs?: number;
  /** Simulate mode: these meetings, with tokens, state, a journal, a clock and faults (README). */
  meetings?: MeetingInput[];
  /** Simulate mode: journal entries kept, the oldest going first. Default 1 000. */
  journalLimit?: number;
}

export interface MockServer {
  /** Base URL, e.g. `http://127.0.0.1:4010`: pass it as the client's `baseUrl`. */
  url: string;
  /** The port it listens on (the one picked, with `port: 0`). */
  port: number;
  /** Stops listening and closes every connection; resolves once every socket is closed. */
  close(): Promise<void>;
  /**
   * Settles when the server has stopped: with `undefined` after `close()`, or with the error
   * that stopped it. Never rejects.
   */
  closed: Promise<Error | undefined>;
}

/** A mock in simulate mode: the server, and the simulator's typed API. */
export interface SimulatingMockServer extends MockServer, SimulatorApi {}

/** A mock in proxy mode: the server, and the report of what the upstream answered. */
export interface ProxyingMockServer extends MockServer, ProxyApi {}

/** 64 KB: ample for these operations' bodies (a dozen bytes). */
export const DEFAULT_BODY_LIMIT = 65_536;

/** `host` as it goes into a URL: IPv6 addresses in brackets. */
const urlHost = (host: string) => (host.includes(":") ? `[${host}]` : host);

/**
 * Starts the contract mock on the bundled spec and resolves once it listens. Rejects with a
 * clear error if the port is taken or the options are wrong. The server does not keep the
 * process alive by itself (a test that forgets `close()` still ends); `meeting-control-mock`
 * does.
 */
export function startMockServer(
  options: MockServerOptions & SimulateOptions,
): Promise<SimulatingMockServer>;
export function startMockServer(
  options: MockServerOptions & ProxyOptions,
): Promise<ProxyingMockServer>;
export function startMockServer(options?: MockServerOptions): Promise<MockServer>;
export async function startMockServer(
  options: MockServerOptions & Partial<ProxyOptions> = {},
): Promise<MockServer | SimulatingMockServer | ProxyingMockServer> {
  const {
    port = 4010,
    host = "127.0.0.1",
    dynamic = false,
    bodyLimit = DEFAULT_BODY_LIMIT,
    cors = true,
    verbose = false,
  } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new RangeError(
      `meeting-control-mock: port must be a whole number from 0 to 65535; got ${port}`,
    );
  if (!Number.isInteger(bodyLimit) || bodyLimit < 1)
    throw new RangeError(
      `meeting-control-mock: bodyLimit must be a whole number of bytes, 1 or more; got ${bodyLimit}`,
    );
  const adminOrigins = adminOriginsOf(options.adminOrigins);
  const adminHosts = adminHostsOf(options.adminHosts, host);
  const log =
    verbose === true
      ? (line: string) => process.stderr.write(`meeting-control-mock: ${line}\n`)
      : verbose || undefined;

  if (options.proxy !== undefined && options.meetings !== undefined)
    throw new TypeError("meeting-control-mock: proxy and meetings cannot be used together");
  const engine = loadEngine();
  if (dynamic) engine.loadFaker();
  const operations = await engine.getHttpOperationsFromSpec(specJsonPath);
  const sim = options.meetings === undefined ? undefined : simulation(options, operations);
  const config: PrismConfig = {
    validateRequest: true,
    validateResponse: true,
    checkSecurity: true,
    errors: false,
    upstreamProxy: undefined,
    isProxy: false,
    mock: { dynamic },
  };
  const logger = engine.createLogger(
    "PRISM",
    { level: log ? "info" : "silent" },
    log && prismLines(log),
  );
  const proxying =
    options.proxy === undefined
      ? undefined
      : proxyMode(options as ProxyOptions, engine, config, logger);
  const simulating = sim && simulationEngine(engine, config, logger);
  const prism = proxying?.prism ?? simulating?.prism ?? engine.createInstance(config, { logger });
  const server = createMockHttpServer({
    engine,
    prism,
    operations,
    config: proxying?.config ?? simulating?.config ?? config,
    proxy: proxying?.proxy,
    bodyLimit,
    cors,
    adminOrigins,
    adminHosts,
    log,
    sim,
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === "EADDRINUSE"
            ? `meeting-control-mock: port ${port} on ${host} is already in use; pick another (--port, or the port option; 0 takes a free one)`
            : `meeting-control-mock: cannot listen on ${host}:${port}: ${error.message}`,
          { cause: error },
        ),
      );
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve();
    });
  });
  server.unref();

  let stopped: (error: Error | undefined) => void = () => {};
  const closed = new Promise<Error | undefined>((resolve) => {
    stopped = resolve;
  });
  let closing: Promise<void> | undefined;
  const shut = (error?: Error) => {
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      // Requests still in flight get a second to finish; then their sockets are closed too.
      setTimeout(() => server.closeAllConnections(), 1000).unref();
    }).then(() => stopped(error));
    return closing;
  };
  server.on("error", (error) => {
    console.error(`meeting-control-mock: the server stopped: ${error.message}`);
    void shut(error);
  });

  const actual = (server.address() as AddressInfo).port;
  if (proxying && isItself(proxying.proxy.upstream, host, actual)) {
    await shut();
    throw new RangeError(
      `meeting-control-mock: proxy ${proxying.proxy.upstream.origin} is this mock's own address: it would forward every request to itself; point it at the upstream's`,
    );
  }
  const url = `http://${urlHost(host)}:${actual}`;
  return {
    url,
    port: actual,
    close: () => shut(),
    closed,
    ...(sim && apiOf(sim, url)),
    ...(proxying && proxyApiOf(proxying.proxy, url)),
  };
}
