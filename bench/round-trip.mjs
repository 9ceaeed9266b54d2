// §2 Round trip over loopback: plain `fetch`, bare openapi-fetch (twice, as an A/A control), the
// timeout floor and our client, each on the global fetch, against a node:http server in a separate
// process, in interleaved blocks so drift hits all alike. The ratio is ours ÷ bare openapi-fetch at
// p50: what a caller pays, or saves, using ours rather than the engine it is on.
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createMeetingControlClient } from "@meeting-control/client";
import createClient from "openapi-fetch";
import { kill, spawnTracked } from "./children.mjs";
import { unbuilt, withTimeout } from "./per-call-variants.mjs";
import { blockMedians, latency, paired, sequentialBlocks } from "./stats.mjs";

const PATH = "/v1/mmc/control/conferences/participants/video";
const conferenceID = "986947855";
const participantID = "4a5rg64ag5p8pvvnam1rr6m8lqra6a61";
const TOKEN = "stbaf8fa2ea8-example-token";
const HOW = { blocks: 50, warmUp: 2, perBlock: 100 };

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
    // createClient<paths>, as a TypeScript caller would write it.
    const bareClient = (/** @type {object} */ options = {}) =>
      /** @type {import("openapi-fetch").Client<import("@meeting-control/client").paths>} */ (
        createClient({ baseUrl: server.url, ...options })
      );
    const bare = bareClient();
    // The A/A control: a second bare openapi-fetch, the same code, timed as a side of its own.
    // Its ratio to the first is 1 but for the method's own spread in this run.
    const again = bareClient();
    const put = async (/** @type {object} */ options, client = bare) => {
      const { response } = await client.PUT(PATH, {
        params: { query: { conferenceID, participantID } },
        headers: { "X-Conference-Authorization": TOKEN },
        body: { status: 0 },
        parseAs: "text",
        ...options,
      });
      if (!response.ok || !response.headers.get("x-request-id")) throw new Error("bad answer");
    };
    const openapiFetch = () => put({});
    const openapiFetchAgain = () => put({}, again);
    // What any per-attempt timeout that aborts the request costs, as ours hands its signal on.
    // On a client whose requests stay unbuilt until fetch, as ours hands them to the global fetch.
    const floor = bareClient(unbuilt);
    const timeoutFloor = () => withTimeout((options) => put(options, floor));
    const client = createMeetingControlClient({ baseUrl: server.url, token: TOKEN, maxRetries: 0 });
    const ours = async () => {
      const request = { conferenceID, participantID, action: /** @type {const} */ ("enable") };
      if (!(await client.inviteCamera(request)).requestId) throw new Error("no X-Request-Id");
    };
    const calls = { fetch: byFetch, openapiFetch, openapiFetchAgain, timeoutFloor, ours };
    const label = `§2 round trip (Node ${process.version})`;
    const blocks = await sequentialBlocks(calls, { ...HOW, label });
    const ms = (/** @type {string} */ name) => latency(blocks.get(name) ?? []);
    const p50s = (/** @type {string} */ name) => blockMedians(blocks.get(name) ?? []);
    return {
      node: process.version,
      method: `${HOW.blocks} blocks (after ${HOW.warmUp} warm-up blocks) in which each side in turn, the order rotating block by block, sends ${HOW.perBlock} sequential requests; all five on Node's global fetch; bare openapi-fetch runs twice, as two clients timed as two sides (an A/A control: their ratio shows the method's own spread); the timeout floor is bare openapi-fetch with a new AbortController, a timer and the signal as init.signal per request, beside the URL and init of a request left unbuilt (openapi-fetch's Request option), as ours hands its requests and its attempt's signal to fetch; p50 and p99 pool every block; the paired ratio is the median over the blocks of the two sides' same-block p50 ratio; figures in ms`,
      ...HOW,
      ms: {
        fetch: ms("fetch"),
        openapiFetch: ms("openapiFetch"),
        openapiFetchAgain: ms("openapiFetchAgain"),
        timeoutFloor: ms("timeoutFloor"),
        ours: ms("ours"),
      },
      pairedP50: {
        oursOverBare: paired(p50s("ours"), p50s("openapiFetch")),
        floorOverBare: paired(p50s("timeoutFloor"), p50s("openapiFetch")),
        againOverBare: paired(p50s("openapiFetchAgain"), p50s("openapiFetch")),
        oursOverFloor: paired(p50s("ours"), p50s("timeoutFloor")),
        bareOverFetch: paired(p50s("openapiFetch"), p50s("fetch")),
      },
    };
  } finally {
    server.child.stdin?.end();
    kill(server.child);
  }
}
