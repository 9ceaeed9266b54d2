import { createServer } from "node:http";
import { listen } from "@meeting-control/testkit/serve";

export interface RecordedRequest {
  method: string;
  path: string;
  body: string;
}
export interface Recorder {
  url: string;
  /** Every request passed on, oldest first. */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

// Hop-by-hop and framing headers: each side of the proxy sets its own.
const DROPPED = new Set([
  "host",
  "connection",
  "keep-alive",
  "content-length",
  "content-encoding",
  "transfer-encoding",
]);
const passed = (headers: Iterable<[string, string | string[] | undefined]>): [string, string][] =>
  [...headers].flatMap(([name, value]) =>
    DROPPED.has(name) || value === undefined ? [] : [[name, String(value)] as [string, string]],
  );

/** A loopback proxy that records each request and passes it on to `target`, answer unchanged. */
export async function startRecorder(target: string): Promise<Recorder> {
  const requests: RecordedRequest[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", target);
    requests.push({ method: req.method ?? "", path: url.pathname, body });
    try {
      const answer = await fetch(url, {
        method: req.method,
        headers: passed(Object.entries(req.headers)),
        body: body || undefined,
      });
      const payload = Buffer.from(await answer.arrayBuffer());
      res.writeHead(answer.status, passed(answer.headers).flat()).end(payload);
    } catch (error) {
      res.writeHead(502, { "content-type": "text/plain" }).end(String(error));
    }
  });
  const { url, close } = await listen(server);
  return {
    url,
    requests,
    close,
  };
}
