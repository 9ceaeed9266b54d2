import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { listen } from "@meeting-control/testkit/serve";

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
