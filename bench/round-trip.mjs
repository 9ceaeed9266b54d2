// §2 Round trip over loopback: plain `fetch` and the client against a node:http server in a
// separate process, in alternating blocks so drift hits both alike.
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createMeetingControlClient } from "@meeting-control/client";
import { kill, spawnTracked } from "./children.mjs";
import { round, sideBySide, summarize } from "./stats.mjs";

const PATH = "/v1/mmc/control/conferences/participants/video";
const conferenceID = "986947855";
const participantID = "4a5rg64ag5p8pvvnam1rr6m8lqra6a61";
const TOKEN = "stbaf8fa2ea8-example-token";
const BLOCKS = 10;
const PER_BLOCK = 200;

/** Starts server.mjs and reads the port it printed. */
async function startServer() {
  const child = spawnTracked(
    process.execPath,
    [fileURLToPath(new URL("server.mjs", import.meta.url))],
    {
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  const lines = createInterface({
    input: /** @type {import("node:stream").Readable} */ (child.stdout),
  });
  const first = await Promise.race([
    once(lines, "line").then(([line]) => String(line)),
    once(child, "exit").then(() => {
      throw new Error("server.mjs exited before printing its port");
    }),
  ]);
  lines.close();
  const { port } = JSON.parse(first);
  return { child, url: `http://127.0.0.1:${port}` };
}

export async function roundTrip() {
  const server = await startServer();
  try {
    const byFetch = async () => {
      const response = await fetch(
        `${server.url}${PATH}?conferenceID=${encodeURIComponent(conferenceID)}&participantID=${encodeURIComponent(participantID)}`,
        {
          method: "PUT",
          headers: { "Content-Type": "application/json", "X-Conference-Authorization": TOKEN },
          body: JSON.stringify({ status: 0 }),
        },
      );
      await response.text();
      if (!response.ok || !response.headers.get("x-request-id")) throw new Error("bad answer");
    };
    const client = createMeetingControlClient({
      baseUrl: server.url,
      token: TOKEN,
      maxRetries: 0,
    });
    const ours = async () => {
      const { requestId } = await client.inviteCamera({
        conferenceID,
        participantID,
        action: "enable",
      });
      if (!requestId) throw new Error("no X-Request-Id");
    };
    const samples = await sideBySide(
      [
        { name: "fetch", fn: byFetch },
        { name: "ours", fn: ours },
      ],
      {
        rounds: BLOCKS,
        label: "§2 round trip",
        options: { time: 0, iterations: PER_BLOCK, warmupTime: 0, warmupIterations: 20 },
      },
    );
    /** @param {string} name */
    const ms = (name) => {
      const s = summarize(samples.get(name) ?? []);
      return {
        requests: s.samples,
        p50: round(s.median, 4),
        p99: round(s.p99, 4),
        mad: round(s.mad, 4),
        mean: round(s.mean, 4),
      };
    };
    return {
      method: `tinybench, ${BLOCKS} blocks of ${PER_BLOCK} sequential requests per side (each block after 20 warm-up requests), the order alternating block by block; keep-alive connections of Node's global fetch; figures in ms`,
      ms: { fetch: ms("fetch"), ours: ms("ours") },
    };
  } finally {
    server.child.stdin?.end();
    kill(server.child);
  }
}
