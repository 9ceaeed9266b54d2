// Prism's engine, loaded as a library: `@stoplight/prism-http` (router, validator, mocker) and the
// two helpers of `@stoplight/prism-http-server` that turn a request into Prism's input (the
// `Prefer` header) and an answer's body into bytes. The same code `prism mock` runs.
//
// Start-up is mostly Prism's modules loading, so the ones a mock rarely or never uses (faker,
// more than half of the load time, is for `dynamic` answers only) are stand-ins that load the
// real module on first use; see `deferring` below.
import { createRequire, Module } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

/** One operation of the spec, as Prism's loader returns it (opaque here). */
export type Operation = object;

/** Prism's request input (`IHttpRequest`), as its HTTP server builds it. */
export interface PrismInput {
  method: string;
  url: { path: string; baseUrl?: string; query: Record<string, string | string[]> };
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** A rule Prism found broken: `severity` 0 is an error, 1 a warning. */
export interface Violation {
  path?: (string | number)[];
  code?: string | number;
  message: string;
  severity: number;
}

/** What `prism.request(…)()` settles to (fp-ts `Either`). */
export type PrismResult = Either<{
  output: { statusCode: number; headers?: Record<string, unknown>; body?: unknown };
  validations: { input: Violation[]; output: Violation[] };
}>;

export interface PrismConfig {
  validateRequest: boolean;
  validateResponse: boolean;
  checkSecurity: boolean;
  errors: boolean;
  upstreamProxy: undefined;
  isProxy: boolean;
  /** Proxy mode: where `forward` sends each request. */
  upstream?: URL;
  mock: { dynamic: boolean; code?: number; exampleKey?: string; seed?: string };
}

export interface Prism {
  request(
    input: PrismInput,
    operations: Operation[],
    config: PrismConfig,
  ): () => Promise<PrismResult>;
}

export interface Engine {
  createInstance(
    config: PrismConfig,
    components: { logger: unknown; forward?: unknown; mock?: PrismMocker },
  ): Prism;
  /** prism-http's mocker: the component that picks and builds an answer from the spec. */
  mock: PrismMocker;
  getHttpOperationsFromSpec(spec: string): Promise<Operation[]>;
  /** The `Prefer` header (or `__code`…) of a request as mock settings, or Prism's 422. */
  getHttpConfigFromRequest(input: PrismInput): Either<Preferences>;
  serialize(body: unknown, contentType: unknown): string | undefined;
  createLogger(name: string, options: object, destination?: NodeJS.WritableStream): unknown;
  /** Loads the real faker now: before a `dynamic` server answers its first request. */
  loadFaker(): void;
}

/** A `mock` component of Prism's engine: called with the route and Prism's findings on it. */
export type PrismMocker = (call: {
  resource: Operation;
  input: { data: PrismInput; validations: Violation[] };
  config: PrismConfig["mock"];
}) => (logger: unknown) => Either<PrismResultOutput>;

type PrismResultOutput = Extract<PrismResult, { _tag: "Right" }>["right"]["output"];

/** What a request's `Prefer` header asks of the mocker. */
export type Preferences = Partial<PrismConfig["mock"]>;

/** Prism's error, as its engine reports it: a ProblemJsonError. */
export interface PrismError {
  name?: string;
  status?: number;
  detail?: string;
  message?: string;
}

type Either<T> = { _tag: "Left"; left: PrismError } | { _tag: "Right"; right: T };

let engine: Engine | undefined;

/** Prism's engine, loaded once per process. */
export function loadEngine(): Engine {
  if (engine) return engine;
  const { result, loadFaker } = deferring(() => {
    const serverEntry = require.resolve("@stoplight/prism-http-server");
    const fromServer = createRequire(serverEntry);
    const http = require("@stoplight/prism-http");
    const core = require("@stoplight/prism-core");
    const serverDist = dirname(serverEntry);
    return {
      createInstance: http.createInstance,
      mock: require("@stoplight/prism-http/dist/mocker").default,
      getHttpOperationsFromSpec: http.getHttpOperationsFromSpec,
      getHttpConfigFromRequest: fromServer(join(serverDist, "getHttpConfigFromRequest.js"))
        .getHttpConfigFromRequest,
      serialize: fromServer(join(serverDist, "serialize.js")).serialize,
      createLogger: core.createLogger,
    };
  });
  engine = { ...result, loadFaker };
  return engine;
}

/**
 * Modules Prism requires at load time but uses only on paths the mock rarely or never takes.
 * Each is replaced by a stand-in that loads the real module on first use:
 * - `@faker-js/faker` (Prism's generator has its own copy): more than half of Prism's load
 *   time, used by `dynamic` answers only;
 * - `postman-collection`: Prism's loader reads Postman collections too; it takes faker's
 *   functions when it loads, so it waits as a whole;
 * - `node-fetch`: Prism's forwarder and callbacks, never used by a mock (the URL parser it
 *   brings, whatwg-url with tr46, is most of its cost);
 * - `esprima`: js-yaml 3's `!!js/function` type, which the spec does not use;
 * - `lodash/fp` (a second lodash, converted method by method): the security validator's
 *   answer to a request without a token, the first of which loads it.
 */
const DEFERRED = new Set(["postman-collection", "node-fetch", "esprima", "lodash/fp"]);

/**
 * Runs `load` with the modules above replaced by stand-ins, and each `lodash/<method>` module
 * answered by the same method of the full `lodash` that Prism loads anyway (the per-method
 * modules are lodash's own modular build of the same functions: about 200 files fewer).
 * Returns what `load` returned, and a function that loads every deferred faker now.
 */
function deferring<T>(load: () => T): { result: T; loadFaker: () => void } {
  type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
  const modules = Module as unknown as { _load: Loader };
  const original = modules._load;
  const pending: (() => unknown)[] = [];
  modules._load = function (this: unknown, request, parent, isMain) {
    const method = /^lodash\/([a-zA-Z]+)$/.exec(request)?.[1];
    if (method && method !== "fp") {
      const full = original.call(this, "lodash", parent, isMain) as Record<string, unknown>;
      if (typeof full[method] === "function") return full[method];
    }
    const faker = /^@faker-js\/faker(\/|$)/.test(request);
    if (!faker && !DEFERRED.has(request)) return original.call(this, request, parent, isMain);
    let real: Record<PropertyKey, unknown> | undefined;
    const actual = () => {
      real ??= original.call(this, request, parent, isMain) as Record<PropertyKey, unknown>;
      return real;
    };
    if (faker) pending.push(actual);
    return lazy(actual, faker);
  };
  try {
    return {
      result: load(),
      loadFaker: () => {
        for (const loadNow of pending) loadNow();
      },
    };
  } finally {
    modules._load = original;
  }
}

/**
 * An object that forwards everything to `target()`. Its `default` and `faker` (the faker
 * instance, as ES module interop and json-schema-faker take it) are stand-ins themselves, so
 * taking them loads nothing yet.
 */
function lazy(target: () => Record<PropertyKey, unknown>, nested = true): object {
  const inner = nested
    ? {
        default: lazy(() => target().default as Record<PropertyKey, unknown>, false),
        faker: lazy(() => target().faker as Record<PropertyKey, unknown>, false),
      }
    : {};
  return new Proxy(
    {},
    {
      get: (_, key) => {
        if (key === "__esModule") return true;
        if (key === "default" || key === "faker") return inner[key] ?? Reflect.get(target(), key);
        return Reflect.get(target(), key);
      },
      has: (_, key) => Reflect.has(target(), key),
      set: (_, key, value) => Reflect.set(target(), key, value),
      ownKeys: () => Reflect.ownKeys(target()),
      getOwnPropertyDescriptor: (_, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(target(), key);
        return descriptor && { ...descriptor, configurable: true };
      },
    },
  );
}
