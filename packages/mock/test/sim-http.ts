// Shared by the simulate-mode tests: a simulating mock on a free port for the file, reset before
// each test, and the three operations as raw HTTP calls (what any client of any language sends).
import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import { type SimulatingMockServer, startMockServer } from "../src/index.js";
import { MEETINGS } from "./sim-fixtures.js";

export const ID = "986947855";
export const PASSWORD = "host-pass-123";
export { MEETINGS };
export const MINUTES = 60_000;

/** A simulating mock for this test file, back at its start before each test. */
export function useSimulator(options: { journalLimit?: number } = {}) {
  const box = {} as { mock: SimulatingMockServer };
  beforeAll(async () => {
    box.mock = await startMockServer({ port: 0, meetings: MEETINGS, ...options });
  });
  beforeEach(() => box.mock.reset());
  afterAll(() => box.mock?.close());
  return box;
}

export interface Reply {
  status: number;
  body: {
    error_code?: string;
    data?: { token: string; expireTime: number; confTokenExpireTime: number };
  };
  headers: Headers;
}
const reply = async (response: Response): Promise<Reply> => ({
  status: response.status,
  body: JSON.parse((await response.text()) || "null"),
  headers: response.headers,
});

export const getToken = (
  url: string,
  id = ID,
  password = PASSWORD,
  headers: Record<string, string> = {},
) =>
  fetch(`${url}/v1/mmc/control/conferences/token?conferenceID=${id}`, {
    headers: { "X-Password": password, "X-Login-Type": "1", ...headers },
  }).then(reply);

/** A token of meeting `id`, fetched with its host password. */
export async function tokenOf(url: string, id = ID, password = PASSWORD) {
  const answer = await getToken(url, id, password);
  expect(answer.status).toBe(200);
  return answer.body.data?.token ?? "";
}

export const invite = (
  url: string,
  operation: "camera" | "share",
  {
    id = ID,
    participant = "alice",
    value = 0 as number,
    auth = undefined as string | undefined,
    extra = {},
  } = {},
) =>
  fetch(
    `${url}/v1/mmc/control/conferences/participants/${operation === "camera" ? "video" : "share/invite"}?conferenceID=${id}&participantID=${participant}`,
    {
      method: "PUT",
      headers: {
        "content-type": "application/json",
        ...(auth !== undefined && { "x-conference-authorization": auth }),
        ...extra,
      },
      body: JSON.stringify(operation === "camera" ? { status: value } : { share: value }),
    },
  ).then(reply);

export const codeOf = (r: Reply) => [r.status, r.body?.error_code];
