// §4 The mock against raw `prism mock` on the same bundled spec, in one run: each is a child
// process (so the load generator here does not share its CPU), timed from spawn to the first 200,
// then loaded in alternating rounds with the keep-alive generator of @meeting-control/testkit/load.
import { fileURLToPath } from "node:url";
import { runLoad, sendValid } from "@meeting-control/testkit/load";
import { spawnTracked, stop } from "./children.mjs";
import { binOf, freePort, versionOf } from "./packages.mjs";
import { log, round, spread, summarize } from "./stats.mjs";

const STARTS = 5;
const WARM_UP = 500;
const ROUNDS = 5;
const TOTAL = 3000;
const CONCURRENCY = 50;
const POLL_MS = 10;
const START_TIMEOUT_MS = 60_000;

/** @param {string} specifier */
const resolvePath = (specifier) => fileURLToPath(import.meta.resolve(specifier));

const spec = resolvePath("@meeting-control/spec/openapi.yaml");
const mockBin = binOf("@meeting-control/mock", "meeting-control-mock");
const prismBin = binOf("@stoplight/prism-cli", "prism");
const READY = /Mock meeting-control API: (http:\/\/\S+)/;
// Prism's CLI forks its server into a second process when NODE_ENV=production; its default
// otherwise is one process, which is what both sides get.
const env = { ...process.env };
delete env.NODE_ENV;

/** @typedef {"ours" | "prism"} Side */
/** @typedef {{ side: Side, child: import("node:child_process").ChildProcess, url: string, first200Ms: number, output: string[] }} Started */

/**
 * Spawns one side and times it until a valid PUT answers 200, polling every POLL_MS with a fresh
 * connection. Ours is found at the URL it prints; Prism on a free port chosen beforehand.
 * @param {Side} side @returns {Promise<Started>}
 */
async function start(side) {
  const port = side === "prism" ? await freePort() : 0;
  const args =
    side === "ours"
      ? [mockBin, "--port", "0"]
      : [prismBin, "mock", spec, "--port", String(port), "--host", "127.0.0.1"];
  const started = performance.now();
  // Prism logs every request to stdout: to /dev/null, so reading it costs this process nothing.
  const child = spawnTracked(process.execPath, args, {
    detached: true,
    env,
    stdio: ["ignore", side === "ours" ? "pipe" : "ignore", "pipe"],
  });
  /** @type {string[]} */
  const output = [];
  /** @type {(url: string) => void} */
  let announce = () => {};
  /** @type {Promise<string>} */
  const announced =
    side === "ours"
      ? new Promise((resolve) => {
          announce = resolve;
        })
      : Promise.resolve(`http://127.0.0.1:${port}`);
  let printed = ""; // stdout until the URL line
  let found = false;
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding("utf8");
    stream?.on("data", (/** @type {string} */ chunk) => {
      output.push(...chunk.split("\n").filter(Boolean));
      output.splice(0, Math.max(0, output.length - 20));
      if (stream !== child.stdout || found) return;
      printed += chunk;
      const url = READY.exec(printed)?.[1];
      if (url) {
        found = true;
        announce(url);
      }
    });
  }
  /** @type {string | null} */
  let gone = null;
  child.once("exit", (code, signal) => {
    gone = signal ?? `exit code ${code}`;
  });
  const fail = async (/** @type {string} */ why) => {
    await stop(child);
    throw new Error(`§4 ${side}: ${why}\n${output.join("\n")}`);
  };
  const deadline = started + START_TIMEOUT_MS;
  /** @type {string | undefined} */
  let url;
  while (url === undefined) {
    if (gone) return fail(`exited before it answered (${gone})`);
    if (performance.now() > deadline) return fail(`printed no URL in ${START_TIMEOUT_MS} ms`);
    url = await Promise.race([announced, new Promise((r) => setTimeout(r, POLL_MS))]);
  }
  for (let i = 0; ; i++) {
    if ((await sendValid(url, i, { agent: false, timeoutMs: 5000 })) === 200) break;
    if (gone) return fail(`exited before it answered (${gone})`);
    if (performance.now() > deadline) return fail(`no 200 in ${START_TIMEOUT_MS} ms`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  return { side, child, url, first200Ms: performance.now() - started, output };
}

export async function mock() {
  /** @type {Side[]} */
  const sides = ["ours", "prism"];
  /** @type {Record<Side, number[]>} */
  const first200 = { ours: [], prism: [] };
  for (let i = 0; i < STARTS; i++) {
    for (const side of sides) {
      const server = await start(side);
      await stop(server.child);
      first200[side].push(server.first200Ms);
      log(
        `§4 mock: ${side} start ${i + 1}/${STARTS}: first 200 after ${server.first200Ms.toFixed(0)} ms`,
      );
    }
  }

  /** @type {Partial<Record<Side, Started>>} */
  const up = {};
  /** @type {Record<Side, { rps: number[], latencies: number[], failures: number, firstFailure: string | null, warmUpFailures: number }>} */
  const load = {
    ours: { rps: [], latencies: [], failures: 0, firstFailure: null, warmUpFailures: 0 },
    prism: { rps: [], latencies: [], failures: 0, firstFailure: null, warmUpFailures: 0 },
  };
  try {
    for (const side of sides) up[side] = await start(side);
    const live = (/** @type {Side} */ side) => {
      const server = /** @type {Started} */ (up[side]);
      if (server.child.exitCode !== null || server.child.signalCode !== null)
        throw new Error(`§4 ${side} exited during the load\n${server.output.join("\n")}`);
      return server.url;
    };
    for (const side of sides) {
      const warm = await runLoad(live(side), { total: WARM_UP, concurrency: CONCURRENCY });
      load[side].warmUpFailures = warm.failures;
    }
    for (let r = 0; r < ROUNDS; r++) {
      for (const side of sides) {
        const result = await runLoad(live(side), { total: TOTAL, concurrency: CONCURRENCY });
        const into = load[side];
        into.rps.push(TOTAL / result.seconds);
        for (const x of result.latencies) into.latencies.push(x);
        into.failures += result.failures;
        into.firstFailure ??= result.firstFailure;
        log(
          `§4 mock: ${side} round ${r + 1}/${ROUNDS}: ${Math.round(TOTAL / result.seconds)} req/s, ${result.failures} failed`,
        );
      }
    }
  } finally {
    await Promise.all(sides.map((side) => up[side] && stop(up[side].child)));
  }

  const ratios = load.ours.rps.map((a, i) => a / /** @type {number} */ (load.prism.rps[i]));
  const throughput = (/** @type {Side} */ side) => {
    const { rps, latencies, failures, firstFailure, warmUpFailures } = load[side];
    const s = summarize(latencies);
    return {
      requestsPerSecond: Math.round(summarize(rps).median),
      perRound: rps.map((x) => Math.round(x)),
      p50Ms: round(s.median, 2),
      p99Ms: round(s.p99, 2),
      madMs: round(s.mad, 2),
      failures,
      firstFailure,
      warmUpFailures,
    };
  };
  const ratio = summarize(ratios);
  return {
    method: `Two servers on the same bundled spec (@meeting-control/spec/openapi.yaml), each a child process of the bench: ours is \`node <@meeting-control/mock's bin> --port 0\` (found at the URL it prints); raw Prism is \`node <@stoplight/prism-cli's bin prism> mock <spec> --port <free port> --host 127.0.0.1\`, its defaults otherwise (Prism's request log goes to /dev/null). Both run with NODE_ENV unset. Start-up: from spawn to the first 200 of a valid PUT, polled every ${POLL_MS} ms with node:http over a fresh connection (agent: false); ${STARTS} starts each, alternating ours, Prism; each stopped (SIGTERM, SIGKILL after 3 s) before the next. Throughput: both started again and kept up; ${WARM_UP} warm-up requests each, then ${ROUNDS} rounds alternating ours, Prism, each round ${TOTAL} valid PUTs (camera {"status":0} and share {"share":1} alternating) at concurrency ${CONCURRENCY} from @meeting-control/testkit/load (node:http, a keep-alive Agent with maxSockets ${CONCURRENCY}, a socket timeout, responses drained) in the bench process, over loopback. req/s is per round (median reported); p50 and p99 pool every round's latencies; the ratio is ours ÷ Prism req/s of the same round, median over the rounds. A failure is a non-2xx answer or an error.`,
    versions: {
      prismCli: versionOf("@stoplight/prism-cli"),
      mock: versionOf("@meeting-control/mock"),
    },
    startup: {
      starts: STARTS,
      ours: spread(first200.ours, 1),
      prism: spread(first200.prism, 1),
    },
    throughput: {
      rounds: ROUNDS,
      requestsPerRound: TOTAL,
      concurrency: CONCURRENCY,
      warmUp: WARM_UP,
      ours: throughput("ours"),
      prism: throughput("prism"),
      ratios: ratios.map((x) => round(x, 3)),
      ratioMedian: round(ratio.median, 3),
      ratioMin: round(ratio.min, 3),
      ratioMax: round(ratio.max, 3),
    },
  };
}
