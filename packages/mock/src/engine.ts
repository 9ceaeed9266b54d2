// Prism's engine, loaded as a library: `@stoplight/prism-http` (router, validator, mocker) and the
// two helpers of `@stoplight/prism-http-server` that turn a request into Prism's input (the
// `Prefer` header) and an answer's body into bytes. The same code `prism mock` runs.
//
// Faker is more than half of Prism's load time and only `dynamic` answers use it, so until one
// does, Prism gets a stand-in that loads the real faker on first use.
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
  isProxy: false;
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
  createInstance(config: PrismConfig, components: { logger: unknown }): Prism;
  getHttpOperationsFromSpec(spec: string): Promise<Operation[]>;
  /** The `Prefer` header (or `__code`…) of a request as mock settings, or Prism's 422. */
  getHttpConfigFromRequest(input: PrismInput): Either<Preferences>;
  serialize(body: unknown, contentType: unknown): string | undefined;
  createLogger(name: string, options: object, destination?: NodeJS.WritableStream): unknown;
  /** Loads the real faker now: before a `dynamic` server answers its first request. */
  loadFaker(): void;
}

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
  const serverEntry = require.resolve("@stoplight/prism-http-server");
  const fromServer = createRequire(serverEntry);
  const { result: http, loadFaker } = deferringFaker(() => require("@stoplight/prism-http"));
  const core = require("@stoplight/prism-core");
  const serverDist = dirname(serverEntry);
  engine = {
    createInstance: http.createInstance,
    getHttpOperationsFromSpec: http.getHttpOperationsFromSpec,
    getHttpConfigFromRequest: fromServer(join(serverDist, "getHttpConfigFromRequest.js"))
      .getHttpConfigFromRequest,
    serialize: fromServer(join(serverDist, "serialize.js")).serialize,
    createLogger: core.createLogger,
    loadFaker,
  };
  return engine;
}

/**
 * Runs `load` with every `@faker-js/faker` module it requires (Prism's generator has its own)
 * and postman-collection (which has another) replaced by a stand-in that
 * forwards every access to the real module, loading it the first time. json-schema-faker keeps
 * the object it is given, so the stand-in must stay a faithful proxy. Returns what `load`
 * returned, and a function that loads every deferred faker now.
 */
function deferringFaker<T>(load: () => T): { result: T; loadFaker: () => void } {
  type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
  const modules = Module as unknown as { _load: Loader };
  const original = modules._load;
  const pending: (() => unknown)[] = [];
  modules._load = function (this: unknown, request, parent, isMain) {
    const faker = /^@faker-js\/faker(\/|$)/.test(request);
    // postman-collection (Prism's loader reads Postman collections too) takes faker's functions
    // when it loads; it is only used for a Postman collection, so it waits as a whole.
    if (!faker && request !== "postman-collection")
      return original.call(this, request, parent, isMain);
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
