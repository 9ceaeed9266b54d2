// The notes under the table: facts a reader needs to trust it, derived from the run.
import { int } from "./report.mjs";
import { round } from "./stats.mjs";

/** A section's note, by its key in run.mjs; null when there is nothing to say. @type {Record<string, (r: any) => string | null>} */
const NOTES = {
  /** @param {{ runs: (Awaited<ReturnType<typeof import("./per-call.mjs").perCall>> & { major: string })[] }} r */
  perCall: ({ runs }) => {
    const measured = runs.filter((run) => !("error" in run));
    const first = measured[0];
    if (!first) return null;
    const differ = measured.flatMap((run) =>
      Object.keys(run.sameRequest)
        .filter((name) => !run.sameRequest[name])
        .map((name) => `${name} on Node ${run.major}`),
    );
    const same = differ.length
      ? `${differ.join(", ")} did not send the same request as the hand-built one (see results.json)`
      : "every variant sends the same request as the hand-built one (method, URL with the encoded query, JSON body, Content-Type, X-Conference-Authorization), checked before timing";
    return `§1: ${same}. Each variant runs in a process of its own (\`node --single-threaded-gc\`, pinned to one CPU where \`taskset\` exists), so its garbage, timers and finalizers are paid for by it alone, with the stub as its global \`fetch\` too; a figure is that process's CPU time (user + system) per call over ${first.blocks} rounds, the variants taking turns in rotating order, each round a block of ${int(first.batches * first.batch)} calls in ${first.batches} batches of ${first.batch} with one event-loop turn after each batch; the harness's own cost (a block of empty calls of the same round) is taken off. A ratio is the median over the rounds of the same-round ratio. The stub makes a \`Request\` of what it is given, as \`fetch\` does (a \`Request\` handed to it is copied, its signal followed), and sends nothing, which §2 measures.`;
  },
  /** @param {{ runs: (Awaited<ReturnType<typeof import("./round-trip.mjs").roundTrip>> & { major: string })[] }} r */
  roundTrip: ({ runs }) => {
    const first = runs.find((run) => !("error" in run));
    return first
      ? `§2: plain \`fetch\`, bare openapi-fetch (twice: a second client timed as a side of its own is the A/A control, whose ratio to the first differs from 1 only by the method's spread in that run), the timeout floor and ours, all on the global \`fetch\` and its keep-alive connections, against a \`node:http\` server in another process: ${first.blocks} blocks of ${first.perBlock} sequential requests each, in rotating order. p50 and p99 pool every block; the paired ratio is the median over the blocks of the same-block p50 ratio.`
      : null;
  },
  /** @param {Awaited<ReturnType<typeof import("./size.mjs").bundleSize>>} r */
  bundleSize: (r) => {
    if (r.platform !== "node") return null;
    const why = Object.entries(r.neutralFailed)
      .map(([name, text]) => `${name}: ${text}`)
      .join("; ");
    return `§3: esbuild cannot bundle every entry for platform neutral (${why}), so all four are bundled for platform node (Node built-ins left out). For context, axios as a browser bundler picks it is ${r.axiosBrowserBuild.gzip.toLocaleString("en-US")} B min+gz.`;
  },
  /** @param {Awaited<ReturnType<typeof import("./proxy.mjs").proxy>>} r */
  proxy: (r) =>
    `§7: the upstream and the proxy are both our mock's bin, each in a process of its own beside the bench's; ${r.blocks} blocks of ${r.perBlock} sequential requests per side, in rotating order, each side over one keep-alive connection (and the proxy over its own to the upstream). The proxy forwarded ${int(r.report.forwarded)} requests (the blocks, the warm-up and the start-up poll), and ${int(r.report.left)} of the answers left the contract. No target: a recorded figure.`,
  /** @param {Awaited<ReturnType<typeof import("./pipeline.mjs").pipeline>>} r */
  pipeline: (r) =>
    r.measured && r.warm
      ? `§5: wall times include \`npx\`, pnpm and turbo start-up (${round((r.warm.wallMs - (r.warm.turboMs ?? 0)) / 1000, 1)} s of the warm run), which no cache removes, so the target is on turbo's own time. The bench package has no build task, so it is not part of either run.`
      : `§5: not measured: ${r.reason}.`,
};

/**
 * The notes of the sections that ran without crashing, in table order, then the machine's.
 * @param {{ key: string }[]} sections @param {Record<string, any>} results
 * @param {{ cores: number, cpu: string, node: string, loadAverageAtStart: number, loadAverageAtEnd: number }} machine
 */
export function notesOf(sections, results, machine) {
  const m = machine;
  return [
    ...sections.flatMap(({ key }) =>
      results[key].error ? [] : (NOTES[key]?.(results[key]) ?? []),
    ),
    `Machine: ${m.cores} cores, ${m.cpu}, Node ${m.node} for the run itself; load average ${m.loadAverageAtStart} at start, ${m.loadAverageAtEnd} at end. Ratios come from samples taken side by side in the same run, so they hold better than the absolute figures when the machine is busy.`,
  ];
}
