import { PassThrough } from "node:stream";
import { loadSpec } from "@meeting-control/spec";
import { specExample } from "@meeting-control/testkit";
import { type RunIo, run } from "../src/run.js";

export const CONFERENCE = "986947855";
export const PARTICIPANT = "4a5rg64ag5p8pvvnam1rr6m8lqra6a61";
export const IDS = ["--conference", CONFERENCE, "--participant", PARTICIPANT];
export const REQUEST_ID = "f78b007ec2dabf1498620131c7bc19e0";
export const VIDEO = "/v1/mmc/control/conferences/participants/video";
export const SHARE = "/v1/mmc/control/conferences/participants/share/invite";
export const TOKEN_PATH = "/v1/mmc/control/conferences/token";

/** The spec's CreateConfToken success example (Huawei's documented answer). */
export const TOKEN_RESPONSE = specExample(loadSpec(), "TokenCreated");

export interface Sent {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
}

/** A `fetch` that records what the CLI sends and answers with `answer`. Nothing global is mocked. */
export function stubFetch(
  answer: (request: Sent, signal: AbortSignal) => Promise<Response> | Response,
) {
  const requests: Sent[] = [];
  const fetch = async (request: Request) => {
    const sent = {
      method: request.method,
      url: new URL(request.url),
      headers: request.headers,
      body: await request.text(),
    };
    requests.push(sent);
    return answer(sent, request.signal);
  };
  return Object.assign(fetch, { requests });
}

/** The service's answers: JSON with an `X-Request-Id`. */
export const reply = (status: number, body?: unknown, headers: Record<string, string> = {}) =>
  new Response(body === undefined ? null : typeof body === "string" ? body : JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "x-request-id": REQUEST_ID, ...headers },
  });

/** Answers CreateConfToken with a token and everything else with 200 `{}`. */
export const service = () =>
  stubFetch((request) =>
    request.url.pathname === TOKEN_PATH ? reply(200, TOKEN_RESPONSE) : reply(200, {}),
  );

/** Runs the CLI in-process with string sinks; a run that sends a request without a stub fails. */
export async function cli(argv: string[], io: Partial<RunIo> = {}) {
  let stdout = "";
  let stderr = "";
  const code = await run(argv, {
    env: {},
    fetch: () => Promise.reject(new Error("this test expected no request")),
    // Retries happen at once: no test sleeps through the client's backoff.
    retryDelayMs: { initial: 0, max: 0 },
    ...io,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

/** A stand-in for a terminal on stdin, with `input` already typed. */
export function terminal(input: string) {
  const rawModes: boolean[] = [];
  const stream = Object.assign(new PassThrough(), {
    isTTY: true,
    rawModes,
    setRawMode: (mode: boolean) => rawModes.push(mode),
  });
  stream.write(input);
  return stream;
}
