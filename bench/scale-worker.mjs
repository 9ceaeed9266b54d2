// §6's measurement, run by scale.mjs as `node --expose-gc scale-worker.mjs <client|fetch>`, once
// per side, so each heap figure is that run's alone. Prints one JSON line on stdout.
import { createServer } from "node:http";
import { createMeetingControlClient } from "@meeting-control/client";

const CALLS = 1000;
const CONFERENCES = 100;
const side = process.argv[2] === "fetch" ? "fetch" : "client";
const gc = /** @type {() => void} */ (globalThis.gc);
if (typeof gc !== "function") throw new Error("run with node --expose-gc");

let tokenRequests = 0;
let controlRequests = 0;
let staleTokens = 0;
/** Tokens issued per conference. @type {Map<string, number>} */
const issued = new Map();

const server = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    const url = new URL(request.url ?? "/", "http://loopback");
    const conf = url.searchParams.get("conferenceID") ?? "";
    const headers = {
      "Content-Type": "application/json",
      "X-Request-Id": `sc-${tokenRequests + controlRequests}`,
    };
    if (request.method === "GET" && url.pathname === "/v1/mmc/control/conferences/token") {
      tokenRequests++;
      const n = (issued.get(conf) ?? 0) + 1;
      issued.set(conf, n);
      const ok = !!request.headers["x-password"];
      response.writeHead(ok ? 200 : 401, headers);
      response.end(
        ok ? JSON.stringify({ data: { token: `t-${conf}-${n}`, confTokenExpireTime: 1800 } }) : "",
      );
    } else if (
      request.method === "PUT" &&
      url.pathname === "/v1/mmc/control/conferences/participants/video"
    ) {
      controlRequests++;
      const token = issued.has(conf) ? `t-${conf}-${issued.get(conf)}` : "t-fixed";
      if (request.headers["x-conference-authorization"] !== token) staleTokens++;
      response.writeHead(200, headers);
      response.end();
    } else {
      response.writeHead(404, headers);
      response.end();
    }
  });
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)));
const address = server.address();
const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;

const settle = async () => {
  server.closeAllConnections(); // sockets are not the client's: close them before each reading
  await new Promise((resolve) => setTimeout(resolve, 200));
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
};

/** @param {number} i */
const conferenceID = (i) => String(9_860_000 + (i % CONFERENCES));

/** One call of this side: through a client, or a plain `fetch` of the same PUT. @param {ReturnType<typeof createMeetingControlClient>} client @param {number} i */
const call = (client, i) =>
  side === "client"
    ? client.inviteCamera({
        conferenceID: conferenceID(i),
        participantID: `participant-${i}`,
        action: i % 2 ? "disable" : "enable",
      })
    : fetch(
        `${base}/v1/mmc/control/conferences/participants/video?conferenceID=${conferenceID(i)}&participantID=participant-${i}`,
        {
          method: "PUT",
          headers: { "Content-Type": "application/json", "X-Conference-Authorization": "t-fixed" },
          body: JSON.stringify({ status: i % 2 }),
        },
      ).then(async (response) => {
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
      });
const newClient = () =>
  createMeetingControlClient({ baseUrl: base, hostPassword: "host-password-1", maxRetries: 0 });

// Warm-up, before the first heap reading: load fetch (undici loads lazily), grow its connection
// pool to CALLS sockets, and run this side's code path a few times (with a client thrown away),
// so the readings hold what the measured burst leaves behind, not one-off allocations (compiled
// code, the pool's growth).
await Promise.all(
  Array.from({ length: CALLS }, () => fetch(`${base}/warm-up`).then((r) => r.arrayBuffer())),
);
const warmUpClient = newClient();
for (let i = 0; i < 50; i++) await call(warmUpClient, i);
tokenRequests = 0;
staleTokens = 0;
controlRequests = 0;
issued.clear();
const heapBefore = await settle();

/** @type {ReturnType<typeof createMeetingControlClient> | undefined} */
let client = newClient();
const started = performance.now();
let results = await Promise.allSettled(
  Array.from({ length: CALLS }, (_, i) =>
    call(/** @type {ReturnType<typeof newClient>} */ (client), i),
  ),
);
const wallMs = performance.now() - started;
const failures = results.filter((r) => r.status === "rejected");
const firstFailure = failures[0]
  ? String(/** @type {PromiseRejectedResult} */ (failures[0]).reason)
  : null;

const heapHeld = await settle();
client = undefined;
results = [];
const heapAfter = await settle();
server.close();

process.stdout.write(
  `${JSON.stringify({
    side,
    calls: CALLS,
    conferences: CONFERENCES,
    wallMs,
    failures: failures.length,
    firstFailure,
    tokenRequests,
    controlRequests,
    staleTokens,
    heapHeldKB: (heapHeld - heapBefore) / 1024,
    heapRetainedKB: (heapAfter - heapBefore) / 1024,
  })}\n`,
);
