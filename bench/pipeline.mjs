// §5 The pipeline: a cold `turbo run build` (--force: the cache is not read) against a warm one (a
// normal second run, which should be a full cache hit), each timed from outside, npx included.
import { once } from "node:events";
import { homedir } from "node:os";
import { fileURLToPath } from "node:url";
import { kill, spawnTracked } from "./children.mjs";
import { log, round } from "./stats.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TIMEOUT_MS = 240_000;
const ENV = {
  TURBO_TELEMETRY_DISABLED: "1",
  REDOCLY_TELEMETRY: "off",
  REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
  npm_config_yes: "true",
};

/** @param {string} text */
// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are control characters
const plain = (text) => text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");

/** Turbo's own "Time:" figure ("49ms", "16.055s", "1m3.2s") in ms. @param {string | undefined} value */
function turboMs(value) {
  const m = /^(?:(\d+)m)?(?:([\d.]+)s)?(?:([\d.]+)ms)?$/.exec(value ?? "");
  return m && value
    ? Number(m[1] ?? 0) * 60_000 + Number(m[2] ?? 0) * 1000 + Number(m[3] ?? 0)
    : null;
}

/** Runs turbo once from the repository root. @param {string[]} extra */
async function turbo(extra) {
  const args = ["--yes", "pnpm@10", "exec", "turbo", "run", "build", ...extra];
  const started = performance.now();
  const child = spawnTracked("npx", args, {
    cwd: ROOT,
    // HOME holds npx's cache; turbo's strict env mode may not pass it to the bench task.
    env: { ...process.env, HOME: process.env.HOME ?? homedir(), ...ENV },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const timer = setTimeout(() => kill(child), TIMEOUT_MS);
  const [code, signal] = await once(child, "exit");
  clearTimeout(timer);
  const wallMs = performance.now() - started;
  const text = plain(output);
  const tasks = /Tasks:\s+(\d+) successful, (\d+) total/.exec(text);
  const cached = /Cached:\s+(\d+) cached, (\d+) total/.exec(text);
  return {
    ok: code === 0,
    command: `npx ${args.join(" ")}`,
    wallMs,
    exit: code ?? signal,
    turboMs: turboMs(/Time:\s+(\S+)/.exec(text)?.[1]),
    tasks: tasks ? Number(tasks[2]) : null,
    successful: tasks ? Number(tasks[1]) : null,
    cached: cached ? Number(cached[1]) : null,
    fullTurbo: text.includes("FULL TURBO"),
    tail: text.trim().split("\n").slice(-8).join("\n"),
  };
}

/** One attempt and, if it fails (another engineer's run holding files, say), one retry. @param {string} what @param {string[]} extra */
async function timed(what, extra) {
  for (let attempt = 1; ; attempt++) {
    log(
      `§5 pipeline: ${what} turbo run build${extra.length ? ` ${extra.join(" ")}` : ""} (attempt ${attempt})…`,
    );
    const run = await turbo(extra);
    log(`§5 pipeline: ${what}: exit ${run.exit} after ${(run.wallMs / 1000).toFixed(1)} s`);
    if (run.ok || attempt === 2) return { ...run, attempts: attempt };
  }
}

/** @param {Awaited<ReturnType<typeof timed>>} run */
const summary = (run) => ({
  command: run.command,
  ok: run.ok,
  attempts: run.attempts,
  wallMs: Math.round(run.wallMs),
  turboMs: run.turboMs === null ? null : Math.round(run.turboMs),
  tasks: run.tasks,
  cached: run.cached,
  fullTurbo: run.fullTurbo,
  ...(run.ok ? {} : { exit: run.exit, outputTail: run.tail }),
});

export async function pipeline() {
  const method =
    "wall time of `npx --yes pnpm@10 exec turbo run build --force` (cold: cache not read) and then of the same without --force (warm), from the repository root; npx and pnpm start-up included in both; the bench package has no build task, so its own run is not part of it";
  const cold = await timed("cold", ["--force"]);
  const warm = cold.ok ? await timed("warm", []) : null;
  const failed = !cold.ok ? "cold" : !warm?.ok ? "warm" : null;
  return {
    method,
    measured: failed === null,
    reason:
      failed && `${failed} build failed twice (exit ${(failed === "cold" ? cold : warm)?.exit})`,
    cold: summary(cold),
    warm: warm && summary(warm),
    warmOverCold: warm?.ok ? round(warm.wallMs / cold.wallMs, 3) : null,
    turboWarmOverCold:
      warm?.ok && warm.turboMs !== null && cold.turboMs
        ? round(warm.turboMs / cold.turboMs, 4)
        : null,
  };
}
