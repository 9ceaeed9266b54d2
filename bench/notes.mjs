// The notes under the table: facts a reader needs to trust it, derived from the run.
import { round } from "./stats.mjs";

/** A section's note, by its key in run.mjs; null when there is nothing to say. @type {Record<string, (r: any) => string | null>} */
const NOTES = {
  /** @param {Awaited<ReturnType<typeof import("./per-call.mjs").perCall>>} r */
  perCall: (r) => {
    const differ = Object.keys(r.sameRequest).filter((name) => !r.sameRequest[name]);
    return differ.length
      ? `§1: ${differ.join(", ")} did not send the same request as the hand-built one (see results.json).`
      : "§1: all four send the same request (method, URL with the encoded query, JSON body, Content-Type, X-Conference-Authorization), checked before timing. Each sample is the mean of 32 sequential awaited calls; axios's stub adapter stops before any URL or request is built.";
  },
  /** @param {Awaited<ReturnType<typeof import("./size.mjs").bundleSize>>} r */
  bundleSize: (r) => {
    if (r.platform !== "node") return null;
    const why = Object.entries(r.neutralFailed)
      .map(([name, text]) => `${name}: ${text}`)
      .join("; ");
    return `§3: esbuild cannot bundle every entry for platform neutral (${why}), so all four are bundled for platform node (Node built-ins left out). For context, axios as a browser bundler picks it is ${r.axiosBrowserBuild.gzip.toLocaleString("en-US")} B min+gz.`;
  },
  /** @param {Awaited<ReturnType<typeof import("./pipeline.mjs").pipeline>>} r */
  pipeline: (r) =>
    r.measured && r.warm
      ? `§5: wall times include \`npx\`, pnpm and turbo start-up (${round((r.warm.wallMs - (r.warm.turboMs ?? 0)) / 1000, 1)} s of the warm run), which no cache removes; turbo's own time is shown beside them. The bench package has no build task, so it is not part of either run.`
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
    `Machine: ${m.cores} cores, ${m.cpu}, Node ${m.node}; load average ${m.loadAverageAtStart} at start, ${m.loadAverageAtEnd} at end. Ratios come from samples taken side by side in the same run, so they hold better than the absolute figures when the machine is busy.`,
  ];
}
