// The runtime matrix: the packed client, as npm would publish it, runs one scenario
// (runtimes/scenario.ts) on Node 20, 22 and 24, Bun, Deno, workerd and Chromium, against the
// real mock over loopback, and each case is a test of its own on each runtime. The runtimes are
// pinned in packages/testkit/runtimes.json. On a developer's machine a runtime that is not there
// is skipped, with one line naming the command that fetches it; in CI (`CI` set) none is.

import { scenarios } from "@meeting-control/mock";
import { loadSpec } from "@meeting-control/spec";
import {
  browserSupport,
  fetchCommand,
  nodeMatrix,
  pinnedRuntimes,
  processTree,
  RUNTIMES,
} from "@meeting-control/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installPacked } from "./packed.js";
import { runChromium } from "./runtimes/browser.js";
import { prepare, runBun, runDeno, runNode, runWorkerd } from "./runtimes/launch.js";
import {
  CASES,
  type CaseName,
  type Outcome,
  type Results,
  type ScenarioConfig,
  type Seen,
} from "./runtimes/scenario.js";
import { type Servers, startServers } from "./runtimes/servers.js";

interface Runtime {
  title: string;
  skip: boolean;
  /** A browser hides a redirect: `fetch` gives an opaque answer, with status 0. */
  opaqueRedirects?: boolean;
  run: (consumer: string, config: ScenarioConfig) => Promise<Results>;
}

const missing = (title: string, name: string) => () =>
  Promise.reject(new Error(`${title} is missing: \`${fetchCommand(name)}\` fetches it`));

const nodes = await nodeMatrix();
const chromium = browserSupport("runtimes");
const RUNTIME_LIST: Runtime[] = [
  ...RUNTIMES.node.majors.map((major): Runtime => {
    const node = nodes.find((binary) => binary.major === major);
    if (!node) {
      console.warn(
        `[runtimes] SKIPPED Node ${major}: not in NODE_MATRIX; \`NODE_MATRIX=${RUNTIMES.node.majors}\` runs it, fetched if need be`,
      );
    }
    return {
      title: `Node ${major}`,
      skip: !node,
      run: (consumer, config) => runNode(node?.path ?? "", consumer, config),
    };
  }),
  ...pinnedRuntimes().map(({ name, title, version, path, skip }): Runtime => {
    const runs = { bun: runBun, deno: runDeno } as const;
    const run: Runtime["run"] =
      name === "workerd"
        ? (consumer, config) => runWorkerd(path ?? "", consumer, config)
        : (consumer, config) => runs[name](path ?? "", consumer, config);
    return { title: `${title} ${version}`, skip, run: path ? run : missing(title, name) };
  }),
  {
    title: "Chromium",
    skip: chromium.skip,
    opaqueRedirects: true,
    run: (consumer, config) => runChromium(chromium.executablePath, consumer, config),
  },
];

// Facts of the spec, from the spec: the example IDs, the paths, the mock's 403 for InviteOperateVideo.
const { parameters } = loadSpec().components;
const pathOf = (operationId: string) =>
  scenarios().find((s) => s.operationId === operationId)?.path;
const VIDEO = pathOf("InviteOperateVideo");
const SHARE = pathOf("InviteShare");
const TOKEN_PATH = pathOf("CreateConfToken");
const forbidden = scenarios().find(
  (s) => s.operationId === "InviteOperateVideo" && s.status === 403,
);
const forbiddenBody = forbidden?.body as { error_code: string; error_msg: string };
const TIMEOUT_MS = 100;

let servers: Servers;
let consumer = "";
let remove: (() => Promise<void>) | undefined;
let config: ScenarioConfig;

beforeAll(async () => {
  const packed = await installPacked();
  remove = packed.remove;
  consumer = packed.consumer;
  await prepare(consumer);
  servers = await startServers();
  config = {
    ids: {
      conferenceID: parameters.ConferenceID.example,
      participantID: parameters.ParticipantID.example,
    },
    urls: servers.urls,
    prefer403: forbidden?.prefer ?? "",
    timeoutMs: TIMEOUT_MS,
    abortAfterMs: 50,
  };
}, 300_000);

afterAll(async () => {
  await servers?.close();
  await remove?.();
});

/** The error a case threw, which must be an instance of exactly these of the client's classes. */
const thrown = (outcome: Outcome, classes: string[]): Seen => {
  if (!("error" in outcome)) expect.fail(`expected an error, got ${JSON.stringify(outcome)}`);
  expect(outcome.error.classes).toEqual(classes);
  return outcome.error;
};

/** What each case must show, on every runtime. */
const EXPECTED: Record<CaseName, [string, (outcome: Outcome, runtime: Runtime) => void]> = {
  operations: [
    "both operations with a token, each request id read from the mock's answer",
    (outcome) => {
      const journal = servers.journal("operations");
      expect(journal.map(({ method, path, status }) => [method, path, status])).toEqual([
        ["PUT", VIDEO, 200],
        ["PUT", SHARE, 200],
      ]);
      expect(outcome).toEqual({ value: journal.map((line) => line.requestId) });
    },
  ],
  tokenFlow: [
    "a host password: one token request for three calls",
    (outcome) => {
      const journal = servers.journal("tokenFlow");
      expect(journal.filter((line) => line.path === TOKEN_PATH)).toHaveLength(1);
      const puts = journal.filter((line) => line.method === "PUT");
      expect(puts.map((line) => line.status)).toEqual([200, 200, 200]);
      const ids = "value" in outcome ? [...(outcome.value as string[])] : outcome;
      expect(ids).toEqual(expect.arrayContaining(puts.map((line) => line.requestId)));
    },
  ],
  apiError: [
    "a 403 chosen with Prefer through `headers`: a ClientRequestError with status, code and request id",
    (outcome) => {
      const error = thrown(outcome, ["ApiError", "ClientRequestError", "MeetingControlError"]);
      const [answer, ...more] = servers.journal("apiError");
      expect(more).toEqual([]);
      expect(answer?.status).toBe(403);
      expect(error).toMatchObject({
        operation: "InviteOperateVideo",
        status: 403,
        code: forbiddenBody.error_code,
        serviceMessage: forbiddenBody.error_msg,
        requestId: answer?.requestId,
      });
    },
  ],
  badInput: [
    'action: "on" refused with an InvalidInputError before any request',
    (outcome) => {
      const error = thrown(outcome, ["InvalidInputError", "MeetingControlError"]);
      expect(error.field).toBe("action");
      expect(servers.journal("badInput", true)).toEqual([]);
    },
  ],
  redirect: [
    "a 307 refused with a RedirectError, not retried, and nothing reaches the host it names",
    (outcome, runtime) => {
      const error = thrown(outcome, ["MeetingControlError", "RedirectError"]);
      expect(error).toMatchObject({
        message: expect.stringMatching(/^InviteOperateVideo got a redirect, not followed/),
        operation: "InviteOperateVideo",
        // Where fetch hides the redirect, neither its status nor its Location can be known.
        status: runtime.opaqueRedirects ? 0 : 307,
        location: runtime.opaqueRedirects ? undefined : servers.namedUrl,
      });
      expect(servers.redirected().filter((request) => request.method === "PUT")).toHaveLength(1);
      expect(servers.named()).toEqual([]);
    },
  ],
  timeout: [
    `a host that never answers: each of the two attempts times out after ${TIMEOUT_MS} ms`,
    (outcome) => {
      const error = thrown(outcome, ["MeetingControlError", "RequestTimeoutError"]);
      expect(error.message).toBe(`InviteOperateVideo timed out after ${TIMEOUT_MS} ms`);
      expect(outcome.fetches).toBe(2);
    },
  ],
  abort: [
    "the caller's AbortSignal stops a call in flight with a RequestAbortedError",
    (outcome) => {
      const error = thrown(outcome, ["MeetingControlError", "RequestAbortedError"]);
      expect(error).toMatchObject({ operation: "InviteShare", message: "InviteShare was aborted" });
    },
  ],
  insecureHttp: [
    "plain http:// to a host that is not loopback refused when the client is made",
    (outcome) => {
      const error = thrown(outcome, ["InvalidInputError", "MeetingControlError"]);
      expect(error.field).toBe("baseUrl");
      expect(error.message).toContain("http://meeting.example.com");
    },
  ],
};

for (const runtime of RUNTIME_LIST) {
  describe.skipIf(runtime.skip)(`on ${runtime.title}`, () => {
    // A run that fails (a runtime missing in CI, say) fails each case with its error, rather
    // than leaving them uncounted as a failed hook would.
    let results: Promise<Results>;
    beforeAll(async () => {
      servers.reset();
      results = runtime.run(consumer, config);
      await results.catch(() => {});
    }, 300_000);

    it.each(CASES.map((name) => [EXPECTED[name][0], name] as const))("%s", async (_, name) => {
      const outcome = (await results)[name] ?? expect.unreachable(`no result for ${name}`);
      EXPECTED[name][1](outcome, runtime);
    });
  });
}

it("leaves no process of any runtime behind", () => {
  // Everything below this test process but the `ps` that lists it.
  const left = processTree(process.pid).filter(
    (row) => row.pid !== process.pid && !row.args.startsWith("ps "),
  );
  expect(left.map((row) => row.args)).toEqual([]);
});
