// §1 Per-call CPU cost: the same InviteOperateVideo PUT, sent each way (per-call-variants.mjs) to a
// stub `fetch` that answers at once, so only the client code is measured (no I/O). Each variant
// runs in a process of its own on this process's Node (per-call-worker.mjs); they take turns
// block by block, and a ratio pairs two variants' blocks of the same round.
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { spawnTracked, stop } from "./children.mjs";
import { capture, TIMEOUT_MS } from "./per-call-variants.mjs";
import { interleaved, log, paired, round, summarize } from "./stats.mjs";

/** @typedef {{ calls: number, cpuMs: number, turns: number }} Block */

// A block holds a dozen scavenges or more, so whether one more fell in it barely moves its figure.
const HOW = { blocks: 30, warmUp: 2, batches: 512, batch: 16 };
const worker = fileURLToPath(new URL("per-call-worker.mjs", import.meta.url));

/**
 * Where `taskset` is (Linux), every variant's process is pinned to the same CPU: a machine's CPUs
 * can run at different speeds over time (here, one bare-call loop took 28 µs a call on one and
 * 47–50 µs on the other), and a paired ratio must not compare blocks run on different ones.
 */
export const PINNED_CPU = spawnSync("taskset", ["-V"]).status === 0 ? "0" : undefined;

/** Starts a variant's process. @param {string} name */
function start(name) {
  // GC on the measured thread only: with V8's helper threads, a block's CPU time grew with the
  // other core's load (helpers waiting on one another count as CPU), and GC-heavy variants more.
  const flags = ["--single-threaded-gc"];
  const args = [...flags, worker, name, String(HOW.batch)];
  const [command, ...rest] = PINNED_CPU
    ? ["taskset", "-c", PINNED_CPU, process.execPath, ...args]
    : [process.execPath, ...args];
  const child = spawnTracked(/** @type {string} */ (command), rest, {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ready = once(child, "message");
  /** @returns {Promise<Block>} */
  const block = async () => {
    await ready;
    const answer = once(child, "message");
    child.send(HOW.batches);
    return (await answer)[0];
  };
  return { name, child, block };
}

export async function perCall() {
  const requests = await capture();
  const { byHand: reference, ...others } = requests;
  const same = (/** @type {unknown} */ r) => JSON.stringify({ ...Object(r), initSignal: false });
  const sameRequest = Object.fromEntries(
    Object.entries(others).map(([name, r]) => [name, same(r) === same(reference)]),
  );
  for (const [name, ok] of Object.entries(sameRequest)) {
    if (!ok) log(`§1 warning: ${name} sends ${same(others[name])}, not ${same(reference)}`);
  }

  const tasks = ["nothing", ...Object.keys(requests)].map(start);
  /** @type {Map<string, Block[]>} */
  let blocks;
  try {
    blocks = await interleaved(tasks, { ...HOW, label: `§1 per call (Node ${process.version})` });
  } finally {
    await Promise.all(tasks.map((t) => stop(t.child)));
  }
  const cpu = (/** @type {string} */ name) =>
    (blocks.get(name) ?? []).map((b) => b.cpuMs / b.calls);
  // Each block's CPU per call less the harness's own (the loop, its turns and the ticker), which
  // the `nothing` variant's block of the same round measures.
  const harness = cpu("nothing");
  const net = (/** @type {string} */ name) => cpu(name).map((x, i) => x - (harness[i] ?? 0));
  /** @param {number[]} ms ns per call: the median over the blocks, and their MAD */
  const ns = (ms) => {
    const s = summarize(ms);
    return { median: round(s.median * 1e6, 0), mad: round(s.mad * 1e6, 0) };
  };
  const ratio = (/** @type {string} */ a, /** @type {string} */ b) => paired(net(a), net(b));
  const mode = (/** @type {"custom" | "global"} */ m) => ({
    ns: Object.fromEntries(
      ["openapiFetch", "likeForLike", "timeoutFloor", "ours"].map((v) => [v, ns(net(`${m}.${v}`))]),
    ),
    openapiFetchOverHand: ratio(`${m}.openapiFetch`, "byHand"),
    likeForLikeOverBare: ratio(`${m}.likeForLike`, `${m}.openapiFetch`),
    oursOverBare: ratio(`${m}.ours`, `${m}.openapiFetch`),
    oursOverLikeForLike: ratio(`${m}.ours`, `${m}.likeForLike`),
    floorOverBare: ratio(`${m}.timeoutFloor`, `${m}.openapiFetch`),
    oursOverFloor: ratio(`${m}.ours`, `${m}.timeoutFloor`),
    signal: requests[`${m}.ours`]?.initSignal ? "as `init.signal`" : "inside the `Request`",
  });
  const kept = [...blocks.values()].flat();
  const calls = HOW.batches * HOW.batch;
  return {
    node: process.version,
    method: `each variant in a process of its own on this Node (node --single-threaded-gc)${PINNED_CPU ? `, every one pinned to CPU ${PINNED_CPU} (taskset)` : ", unpinned (no taskset)"}, with the stub as its global fetch (the stub makes a Request of what it is given, as fetch does, and answers at once); ${HOW.blocks} rounds (after ${HOW.warmUp} warm-up rounds) in which each variant in turn, the order rotating round by round, runs a block of ${calls} sequential awaited calls in ${HOW.batches} batches of ${HOW.batch}, with one event-loop turn (setImmediate) after each batch; a block's figure is its process's CPU time (user + system) per call, turns included, less that of a block of empty calls of the same round; ns per call: the median over the rounds, with the MAD; a ratio: the median over the rounds of the two variants' same-round ratio, with the MAD; the like-for-like baseline gets AbortSignal.timeout(${TIMEOUT_MS}) per call; the timeout floor gets a new AbortController, a ${TIMEOUT_MS} ms timer and the controller's signal per call, handed on as ours hands its attempt's signal`,
    ...HOW,
    turns: kept.reduce((n, b) => n + (b.turns ?? 0), 0),
    batchesRun: kept.length * HOW.batches,
    requests,
    sameRequest,
    harness: ns(harness),
    byHand: ns(net("byHand")),
    custom: mode("custom"),
    global: mode("global"),
    globalOverCustom: ratio("global.ours", "custom.ours"),
  };
}
