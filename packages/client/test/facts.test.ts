import { describe, expect, it } from "vitest";
// @ts-expect-error the generator is a plain ESM script without type declarations
import { specFacts } from "../scripts/facts.mjs";
import {
  DEFAULT_REGION,
  ID_LENGTHS,
  POLARITY,
  REFRESH_TOKEN_CODES,
  REFRESH_TOKEN_STATUSES,
  REGIONS,
  RETRYABLE_CODES,
} from "../src/generated/facts.js";
import { ApiError, createMeetingControlClient, InvalidInputError } from "../src/index.js";

// The client's behaviour follows the facts generated from the spec: change a fact in the spec
// and these tests follow it, so they fail if the client keeps a copy of its own.

const IDS = { conferenceID: "986947855", participantID: "4a5rg64ag5p8pvvnam1rr6m8lqra6a61" };
const error = (code: string, status = 400) =>
  new Response(JSON.stringify({ error_code: code, error_msg: "x" }), { status });

/** A client on a stub `fetch` that answers with `answers` in turn (then 200), and the requests. */
function stubbed(answers: Response[] = [], options: Record<string, unknown> = {}) {
  const requests: Request[] = [];
  const client = createMeetingControlClient({
    token: "stbaf8fa2ea8-example",
    retryDelayMs: { initial: 0, max: 0 },
    fetch: async (request) => {
      requests.push(request);
      return answers.shift() ?? new Response("{}", { status: 200 });
    },
    ...options,
  });
  return { client, requests };
}

describe("the client follows the spec's facts", () => {
  it.each(Object.entries(ID_LENGTHS))(
    "%s: refused outside its lengths, sent within",
    async (field, { min, max }) => {
      const { client, requests } = stubbed();
      const call = (length: number) =>
        client.inviteCamera({ ...IDS, [field]: "1".repeat(length), action: "enable" });
      await expect(call(min - 1)).rejects.toBeInstanceOf(InvalidInputError);
      await call(min);
      if (max !== undefined) {
        await call(max);
        await expect(call(max + 1)).rejects.toBeInstanceOf(InvalidInputError);
      }
      expect(requests).toHaveLength(max === undefined ? 1 : 2);
    },
  );

  it.each(Object.entries(REGIONS))("region %s sends to %s", async (region, url) => {
    const { client, requests } = stubbed([], { region });
    await client.inviteScreenShare({ ...IDS, action: "invite" });
    expect(new URL(requests[0]?.url ?? "").origin).toBe(url);
  });

  it("without a region, sends to DEFAULT_REGION's URL", async () => {
    const { client, requests } = stubbed();
    await client.inviteCamera({ ...IDS, action: "disable" });
    expect(new URL(requests[0]?.url ?? "").origin).toBe(REGIONS[DEFAULT_REGION]);
  });

  it.each([
    ["inviteCamera", "InviteOperateVideo", ["enable", "disable"]],
    ["inviteScreenShare", "InviteShare", ["invite", "cancel"]],
  ] as const)("%s writes POLARITY.%s's field and values", async (method, operation, actions) => {
    const { client, requests } = stubbed();
    const { field, ...values } = POLARITY[operation];
    for (const action of actions) {
      await (client[method] as (r: object) => Promise<unknown>)({ ...IDS, action });
    }
    const bodies = await Promise.all(requests.map((r) => r.json()));
    expect(bodies).toEqual(
      actions.map((a) => ({ [field]: (values as Record<string, number>)[a] })),
    );
  });

  it.each(RETRYABLE_CODES)("retries %s", async (code) => {
    const { client, requests } = stubbed([error(code)]);
    await client.inviteCamera({ ...IDS, action: "enable" });
    expect(requests).toHaveLength(2);
  });

  it("does not retry another 400", async () => {
    const { client, requests } = stubbed([error("MMC.000000000")]);
    await expect(client.inviteCamera({ ...IDS, action: "enable" })).rejects.toBeInstanceOf(
      ApiError,
    );
    expect(requests).toHaveLength(1);
  });

  it.each([
    ...REFRESH_TOKEN_CODES.map((code) => [`code ${code}`, error(code)] as const),
    ...REFRESH_TOKEN_STATUSES.map((s) => [`HTTP ${s}`, error("MMC.000000000", s)] as const),
  ])("with a host password, gets a new token on %s and tries once more", async (_, refused) => {
    const token = (value: string) =>
      new Response(JSON.stringify({ data: { token: value, confTokenExpireTime: 1800 } }));
    const { client, requests } = stubbed([token("first"), refused, token("second")], {
      token: undefined,
      hostPassword: "host-password",
    });
    await client.inviteCamera({ ...IDS, action: "enable" });
    const sent = requests.filter((r) => r.method === "PUT");
    expect(sent.map((r) => r.headers.get("x-conference-authorization"))).toEqual([
      "first",
      "second",
    ]);
  });
});

describe("specFacts refuses a spec that states a fact two ways", () => {
  const lifetimes = (...seconds: number[]) => ({
    get: {
      operationId: "CreateConfToken",
      responses: Object.fromEntries(
        seconds.map((confTokenExpireTime, i) => [
          `20${i}`,
          {
            content: {
              "application/json": {
                examples: { token: { value: { data: { token: "t", confTokenExpireTime } } } },
              },
            },
          },
        ]),
      ),
    },
  });
  const spec = (
    examples: object,
    servers: object[] = [{ url: "https://a", "x-region": "a" }],
    token = lifetimes(1800),
  ) => ({
    servers,
    paths: {
      "/x": {
        put: {
          operationId: "X",
          responses: { "400": { content: { "application/json": { examples } } } },
        },
      },
      "/token": token,
    },
  });
  const example = (summary: string) => ({
    summary,
    value: { error_code: "MMC.1", error_msg: "M" },
  });

  it("reads a code's summary, status and operation", () => {
    expect(specFacts(spec({ one: example("One") })).errorCodes).toEqual({
      "MMC.1": {
        message: "M",
        summary: "One",
        statuses: [400],
        operations: ["X"],
        example: "one",
        retryable: false,
        refreshToken: false,
      },
    });
  });

  it("throws for one code with two summaries", () => {
    expect(() => specFacts(spec({ one: example("One"), two: example("Two") }))).toThrow(
      /MMC.1's summary/,
    );
  });

  it("reads a token's lifetime from CreateConfToken's example, and throws for two or none", () => {
    expect(specFacts(spec({}, undefined, lifetimes(60))).tokenLifetimeMs).toBe(60_000);
    expect(() => specFacts(spec({}, undefined, lifetimes(60, 1800)))).toThrow(/token's lifetime/);
    expect(() => specFacts(spec({}, undefined, lifetimes()))).toThrow(/confTokenExpireTime/);
  });

  it("throws for a server without x-region", () => {
    expect(() => specFacts(spec({}, [{ url: "https://a" }]))).toThrow(/x-region/);
  });
});
