// The runtime matrix's one scenario (runtimes.test.ts), run unchanged by Node, Bun, Deno, workerd
// and Chromium against the packed client. Plain ECMAScript, fetch and timers, no Node API; the
// runtime's own entry imports the client its own way and passes it in. It only observes: what each
// case gave back, or what it threw. The test decides what is right.
import type * as Client from "../../src/index.js";

export const CASES = [
  "operations",
  "tokenFlow",
  "apiError",
  "badInput",
  "redirect",
  "timeout",
  "abort",
  "insecureHttp",
] as const;
export type CaseName = (typeof CASES)[number];

export interface ScenarioConfig {
  ids: { conferenceID: string; participantID: string };
  /** The base URL each case talks to (insecureHttp's is not on this machine, and never reached). */
  urls: Record<CaseName, string>;
  /** The `Prefer` header that selects the mock's 403. */
  prefer403: string;
  /** `timeoutMs` of the timeout case, whose host never answers. */
  timeoutMs: number;
  /** How long the abort case waits before it aborts. */
  abortAfterMs: number;
}

/** What a thrown error showed: the client's error classes it is an instance of, and its fields. */
export interface Seen {
  classes: string[];
  name?: string;
  message?: string;
  operation?: string;
  status?: number;
  code?: string;
  serviceMessage?: string;
  requestId?: string;
  field?: string;
  location?: string;
}
/** `fetches`: how many times the client called the global fetch, where a case counts them. */
export type Outcome = ({ value: unknown } | { error: Seen }) & { fetches?: number };
export type Results = Record<CaseName, Outcome>;

const TOKEN = "runtime-matrix-token";

export async function run(client: typeof Client, config: ScenarioConfig): Promise<Results> {
  const { ids, urls } = config;
  const using = (name: CaseName, options: Partial<Client.MeetingControlClientOptions> = {}) =>
    client.createMeetingControlClient({ token: TOKEN, baseUrl: urls[name], ...options });
  const enable = { ...ids, action: "enable" } as const;
  // Attempts counted as the client makes them (a server can miss one aborted before it arrives):
  // the global fetch, called through, for as long as the case runs.
  const fetches: Partial<Record<CaseName, number>> = {};
  const counting = async (name: CaseName, call: () => Promise<unknown>) => {
    const global = globalThis.fetch;
    fetches[name] = 0;
    globalThis.fetch = (...args) => {
      fetches[name] = (fetches[name] ?? 0) + 1;
      return global(...args);
    };
    try {
      return await call();
    } finally {
      globalThis.fetch = global;
    }
  };

  const cases: Record<CaseName, () => Promise<unknown>> = {
    operations: async () => {
      const api = using("operations");
      const camera = await api.inviteCamera(enable);
      const share = await api.inviteScreenShare({ ...ids, action: "invite" });
      return [camera.requestId, share.requestId];
    },
    tokenFlow: async () => {
      const api = client.createMeetingControlClient({
        hostPassword: "runtime-matrix-password",
        baseUrl: urls.tokenFlow,
      });
      // Two calls at once share the token request; a third, later, uses the cached token.
      const first = await Promise.all([
        api.inviteCamera(enable),
        api.inviteScreenShare({ ...ids, action: "invite" }),
      ]);
      const last = await api.inviteCamera({ ...ids, action: "disable" });
      return [...first, last].map((answer) => answer.requestId);
    },
    apiError: () =>
      using("apiError", { headers: { Prefer: config.prefer403 } }).inviteCamera(enable),
    badInput: () => using("badInput").inviteCamera({ ...ids, action: "on" as "enable" }),
    redirect: () => using("redirect").inviteCamera(enable),
    timeout: () =>
      counting("timeout", () =>
        using("timeout", {
          timeoutMs: config.timeoutMs,
          maxRetries: 1,
          retryDelayMs: { initial: 0, max: 0 },
        }).inviteCamera(enable),
      ),
    abort: () => {
      const controller = new AbortController();
      const call = using("abort", { timeoutMs: 30_000, maxRetries: 0 }).inviteScreenShare({
        ...ids,
        action: "cancel",
        signal: controller.signal,
      });
      setTimeout(() => controller.abort(), config.abortAfterMs);
      return call;
    },
    insecureHttp: async () => Object.keys(using("insecureHttp")),
  };

  const results: Partial<Results> = {};
  for (const name of CASES) {
    try {
      results[name] = { value: await cases[name]() };
    } catch (error) {
      results[name] = { error: seen(client, error) };
    }
    if (name in fetches) results[name] = { ...results[name], fetches: fetches[name] };
  }
  return results as Results;
}

function seen(client: typeof Client, error: unknown): Seen {
  const { name, message, operation, status, code, serviceMessage, requestId, field, location } =
    Object(error) as Seen;
  const classes = Object.entries(client)
    .filter(([key, value]) => key.endsWith("Error") && typeof value === "function")
    .filter(([, value]) => error instanceof (value as unknown as new () => unknown))
    .map(([key]) => key);
  return {
    classes,
    name,
    message,
    operation,
    status,
    code,
    serviceMessage,
    requestId,
    field,
    location,
  };
}
