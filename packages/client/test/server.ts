import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { listen } from "@meeting-control/testkit/serve";
import { vi } from "vitest";

export interface Recorded {
  method: string;
  url: URL;
  headers: IncomingMessage["headers"];
  body: string;
}

export type Handler = (
  request: Recorded,
  response: ServerResponse,
  index: number,
) => void | Promise<void>;

/** A real HTTP server on 127.0.0.1 and a free port, recording every request it gets. */
export async function loopbackServer(handler: Handler) {
  const requests: Recorded[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const recorded: Recorded = {
      method: req.method ?? "",
      url: new URL(req.url ?? "/", "http://127.0.0.1"),
      headers: req.headers,
      body: Buffer.concat(chunks).toString("utf8"),
    };
    requests.push(recorded);
    try {
      await handler(recorded, res, requests.length - 1);
    } catch (error) {
      res.writeHead(599).end(String(error));
    }
  });
  const { url, close } = await listen(server);
  return {
    url,
    requests,
    close,
  };
}

/** Answers JSON with an `X-Request-Id`. */
export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, {
    "content-type": "application/json",
    "x-request-id": "f78b007ec2dabf1498620131c7bc19e0",
    ...headers,
  });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

/**
 * Runs `attempts` attempts whose answers stall in their body out of their time on a fake clock:
 * each time fetch has the next answer's status line (undici's `undici:request:headers` channel,
 * the global fetch and a custom one alike), the clock moves by `timeoutMs`. So the timeout comes
 * after the status line however loaded the machine is, and no test waits for it in real time.
 * The clock moves 1 ms more for each event-loop turn spent waiting (see below).
 * Fake timers must be on (setTimeout and clearTimeout) when the call starts.
 */
export async function stallPast(attempts: number, timeoutMs: number) {
  let seen = 0;
  const count = () => {
    seen++;
  };
  subscribe("undici:request:headers", count);
  try {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      // Event-loop turns, not time: until the status line is in, then a few for fetch to
      // resolve. Each turn moves the clock 1 ms, so that a backoff of 0 ms (a 1 ms timer) runs:
      // give `timeoutMs` far more than a status line takes in turns.
      while (seen < attempt) {
        await turn();
        await vi.advanceTimersByTimeAsync(1);
      }
      for (let i = 0; i < 3; i++) await turn();
      await vi.advanceTimersByTimeAsync(timeoutMs);
    }
  } finally {
    unsubscribe("undici:request:headers", count);
  }
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
