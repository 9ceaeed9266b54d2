// §6 Scale: 1,000 concurrent inviteCamera calls over 100 conferences in hostPassword mode, against
// a loopback server that serves CreateConfToken and the camera PUT. Each run is its own
// `node --expose-gc` process (scale-worker.mjs), alternating with a plain-fetch run of the same
// burst as the baseline, so each heap figure belongs to one burst.
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { kill, spawnTracked } from "./children.mjs";
import { log, round, summarize } from "./stats.mjs";

const RUNS = 3;
const worker = fileURLToPath(new URL("scale-worker.mjs", import.meta.url));

/** @param {"client" | "fetch"} side */
async function runOnce(side) {
  const child = spawnTracked(process.execPath, ["--expose-gc", worker, side], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  const timer = setTimeout(() => kill(child), 60_000);
  const [code] = await once(child, "exit");
  clearTimeout(timer);
  if (code !== 0) throw new Error(`scale-worker.mjs ${side} exited with ${code}`);
  return JSON.parse(output);
}

export async function scale() {
  /** @type {Record<"client" | "fetch", any[]>} */
  const runs = { client: [], fetch: [] };
  for (let i = 0; i < RUNS; i++) {
    for (const side of /** @type {const} */ (["fetch", "client"])) {
      const run = await runOnce(side);
      runs[side].push(run);
      log(
        `§6 scale: ${side} run ${i + 1}/${RUNS}: ${run.wallMs.toFixed(0)} ms, ${run.failures} failed`,
      );
    }
  }
  /** @param {"client" | "fetch"} side */
  const figures = (side) => {
    const r = runs[side];
    return {
      wallMs: round(summarize(r.map((x) => x.wallMs)).median, 1),
      heapRetainedKB: round(summarize(r.map((x) => x.heapRetainedKB)).median, 1),
      heapHeldKB: round(summarize(r.map((x) => x.heapHeldKB)).median, 1),
      failures: r.reduce((sum, x) => sum + x.failures, 0),
      firstFailure: r.find((x) => x.firstFailure)?.firstFailure ?? null,
      tokenRequests: r.map((x) => x.tokenRequests),
      controlRequests: r.map((x) => x.controlRequests),
      staleTokens: r.reduce((sum, x) => sum + x.staleTokens, 0),
    };
  };
  return {
    method: `${RUNS} runs per side, alternating, each a fresh \`node --expose-gc\` process: 1,000 concurrent calls over 100 conferences to an in-process node:http server on loopback; the client in hostPassword mode (maxRetries 0) against plain fetch of the same PUTs with a fixed token; heap = heapUsed after gc, minus heapUsed after gc before the burst (after a warm-up that loads fetch, grows its pool and runs the code path), read after the client and results are dropped and the sockets closed; medians of the runs`,
    calls: 1000,
    conferences: 100,
    runs: RUNS,
    ours: figures("client"),
    fetch: figures("fetch"),
  };
}
