// Every scenario of the demo's "Mock scenario" list, sent by the client through the demo's own
// `scenarioFetch` to the real mock, for both control operations: the answer must be the one its
// label names (status and code), or, for the operation a scenario is not for, the mock's 500.
import { ApiError, createMeetingControlClient, ServerResponseError } from "@meeting-control/client";
import { type MockServer, scenarios, startMockServer } from "@meeting-control/mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCENARIOS, scenarioFetch } from "../src/scenarios.js";

const IDS = { conferenceID: "986947855", participantID: "4a5rg64ag5p8pvvnam1rr6m8lqra6a61" };
const OPERATIONS = {
  InviteOperateVideo: (client: Client) => client.inviteCamera({ ...IDS, action: "enable" }),
  InviteShare: (client: Client) => client.inviteScreenShare({ ...IDS, action: "invite" }),
} as const;
type Client = ReturnType<typeof createMeetingControlClient>;

const cases = SCENARIOS.flatMap((scenario) =>
  (Object.keys(OPERATIONS) as (keyof typeof OPERATIONS)[]).map((operation) => ({
    ...scenario,
    operation,
  })),
);

describe("the demo's mock scenarios, against the real mock", () => {
  let mock: MockServer | undefined;
  beforeAll(async () => {
    mock = await startMockServer({ port: 0 });
  });
  afterAll(() => mock?.close());

  /** What the mock answers `operation` with the scenario's `Prefer`, as the demo sends it. */
  async function answer(prefer: string, operation: keyof typeof OPERATIONS) {
    const sent: string[] = [];
    const client = createMeetingControlClient({
      baseUrl: mock?.url,
      token: "stbaf8fa2ea8-example",
      maxRetries: 0,
      fetch: scenarioFetch(prefer, (request) => sent.push(request.prefer)),
    });
    const result = await OPERATIONS[operation](client).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(sent).toEqual([prefer]);
    return result;
  }

  it("offers every error answer the spec gives a control operation", () => {
    const offered = new Set(SCENARIOS.map((s) => s.prefer));
    const inSpec = scenarios().filter(
      (s) => s.operationId !== "CreateConfToken" && s.status >= 400,
    );
    expect(inSpec.length).toBeGreaterThan(0);
    for (const { prefer } of inSpec) expect(offered, prefer).toContain(prefer);
  });

  it.each(cases)("$label, on $operation", async ({ label, prefer, only, operation }) => {
    const error = await answer(prefer, operation);
    if (!prefer) {
      expect(label).toBe("None (success)");
      expect(error).toBeUndefined();
      return;
    }
    expect(error).toBeInstanceOf(ApiError);
    const { status, code } = error as ApiError;
    if (only && only !== operation) {
      // The demo's hint for this case says the mock answers 500.
      expect(error).toBeInstanceOf(ServerResponseError);
      expect(status).toBe(500);
      return;
    }
    // The label names the status and code of the mock's answer, and the spec's summary of it.
    expect(label).toContain(`(${status} ${code}`);
    const spec = scenarios().find((s) => s.operationId === operation && s.prefer === prefer);
    expect(spec, `the spec has ${prefer} for ${operation}`).toBeDefined();
    expect(label.startsWith(`${spec?.summary} (`)).toBe(true);
  });
});
