// Checks what Ctrl-C of `npx pnpm@10 test` leaves behind: starts it as a terminal would (on a pty
// of its own, via script(1); `--mode setsid` for a plain process group, as CI or an IDE runs it),
// presses Ctrl-C after T seconds, and watches every process of the run until the last is gone:
// each process seen below it while it ran (by pid and start time, so one that moved to init still
// counts), anything in its session, and any new process whose command line or directory is in
// this repository. Linux only (/proc).
//
//   node scripts/ctrl-c.mjs [--at 10,30,60] [--busy 2] [--builds-cached] [--mode pty|setsid]
//                           [--within 5] [--cmd "npx pnpm@10 test"]
//
// --busy N runs N CPU-bound processes beside it. Every run gets an empty turbo cache of its own (in
// the system's temp directory: the repository's cache is neither used nor filled), so each does the
// same work; --builds-cached first fills one with lint, typecheck and build, and gives every run a
// copy, so the tests are what runs at T. Exits 1 when a process of a run is alive --within seconds
// after its Ctrl-C.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { processes } from "./process-tree.mjs";

const root = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");
const argv = process.argv.slice(2);
/** @param {string} name @param {string} fallback */
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i < 0 ? fallback : (argv[i + 1] ?? fallback);
};
const ats = option("at", "10,30,60").split(",").map(Number);
const busy = Number(option("busy", "0"));
const mode = option("mode", "pty");
const within = Number(option("within", "5"));
const command = option("cmd", "npx pnpm@10 test");
const buildsCached = argv.includes("--builds-cached");
const scratch = mkdtempSync(join(tmpdir(), "ctrl-c-"));
const env = {
  ...process.env,
  npm_config_yes: "true",
  TURBO_TELEMETRY_DISABLED: "1",
  TERM: process.env.TERM ?? "xterm",
};

/** @typedef {{ pid: number, ppid: number, sid: number, key: string, cmd: string, cwd: string }} Proc */

/** @returns {Map<number, Proc>} every live process, with its command line and directory */
function scan() {
  const map = new Map();
  for (const { pid, ppid, sid, start } of processes()) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
      let cwd = "";
      try {
        cwd = readlinkSync(`/proc/${pid}/cwd`);
      } catch {}
      map.set(pid, { pid, ppid, sid, key: `${pid}:${start}`, cmd, cwd });
    } catch {} // gone since
  }
  return map;
}

/** @param {Map<number, Proc>} map @param {number} top @param {Set<string>} before */
function ofTheRun(map, top, before) {
  /** @type {Map<string, Proc>} */
  const found = new Map();
  const below = new Set([top]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of map.values()) {
      if (!below.has(p.pid) && below.has(p.ppid)) {
        below.add(p.pid);
        grew = true;
      }
    }
  }
  for (const p of map.values()) {
    const fresh = !before.has(p.key);
    const here = p.cmd.includes(root) || p.cwd === root || p.cwd.startsWith(`${root}/`);
    if (below.has(p.pid) || (fresh && (p.sid === top || here))) found.set(p.key, p);
  }
  return found;
}

const short = (/** @type {Proc} */ p) => {
  const cmd = p.cmd.replaceAll(root, ".");
  return `${p.pid} ${cmd.length > 110 ? `${cmd.slice(0, 110)}…` : cmd}`;
};

/** @param {number} at seconds @param {string} cacheDir */
async function run(at, cacheDir) {
  const before = new Set([...scan().values()].map((p) => p.key));
  const output = [];
  const child =
    mode === "pty"
      ? // script(1) puts the command on a new pty as its foreground job: ^C written to the pty goes
        // through its line discipline, which sends SIGINT to that group, as a terminal does.
        spawn("script", ["-qfec", `stty cols 160 rows 50; exec ${command}`, "/dev/null"], {
          cwd: root,
          env: { ...env, TURBO_CACHE_DIR: cacheDir },
          stdio: ["pipe", "pipe", "pipe"],
          detached: true,
        })
      : spawn("sh", ["-c", `exec ${command}`], {
          cwd: root,
          env: { ...env, TURBO_CACHE_DIR: cacheDir },
          stdio: ["ignore", "pipe", "pipe"],
          detached: true,
        });
  const t0 = performance.now();
  const since = (/** @type {number} */ t) => (performance.now() - t) / 1000;
  for (const stream of [child.stdout, child.stderr])
    stream.on("data", (chunk) => output.push(`[${since(t0).toFixed(2)}] ${chunk}`));
  let exited = /** @type {number | undefined} */ (undefined);
  child.on("exit", () => {
    exited = since(t0);
  });
  /** @type {Map<string, Proc>} */
  const seen = new Map();
  const look = () => {
    for (const [key, p] of ofTheRun(scan(), child.pid ?? 0, before)) seen.set(key, p);
  };
  while (since(t0) < at && exited === undefined) {
    look();
    await sleep(200);
  }
  if (exited !== undefined) return { at, endedAt: exited };
  look();
  const pressed = performance.now();
  if (mode === "pty") child.stdin?.write("\x03");
  else process.kill(-(child.pid ?? 0), "SIGINT");

  /** @type {Map<string, number>} */
  const goneAt = new Map();
  /** @type {Proc[] | undefined} */
  let leftAtWithin;
  let last = 0;
  for (;;) {
    const map = scan();
    const live = new Set([...map.values()].map((p) => p.key));
    for (const [key, p] of ofTheRun(map, child.pid ?? 0, before)) seen.set(key, p);
    const t = since(pressed);
    const alive = [...seen.values()].filter((p) => live.has(p.key));
    for (const p of seen.values()) if (!live.has(p.key) && !goneAt.has(p.key)) goneAt.set(p.key, t);
    if (alive.length) last = t;
    if (leftAtWithin === undefined && t >= within) leftAtWithin = alive;
    if (!alive.length && t >= within) break;
    if (t > 60) {
      for (const p of alive)
        try {
          process.kill(p.pid, "SIGKILL");
        } catch {}
      output.push(`[ctrl-c.mjs] killed ${alive.length} processes still there 60 s after Ctrl-C\n`);
      break;
    }
    await sleep(100);
  }
  const log = join(scratch, `run-${at}s.log`);
  writeFileSync(log, output.join(""));
  const slowest = [...seen.values()]
    .map((p) => ({ p, t: goneAt.get(p.key) ?? Number.POSITIVE_INFINITY }))
    .sort((a, b) => a.t - b.t)
    .slice(-6)
    .map(({ p, t }) => `    gone at +${t.toFixed(2)} s: ${short(p)}`);
  return { at, lastGone: last, left: leftAtWithin ?? [], slowest, log };
}

if (buildsCached) {
  console.log("filling a turbo cache with lint, typecheck and build…");
  const seeded = spawnSync(
    "npx",
    ["pnpm@10", "exec", "turbo", "run", "lint", "typecheck", "build"],
    { cwd: root, env: { ...env, TURBO_CACHE_DIR: join(scratch, "seed") }, stdio: "ignore" },
  );
  if (seeded.status !== 0)
    throw new Error("could not fill the cache (turbo run lint typecheck build)");
}
const loops = Array.from({ length: busy }, () =>
  spawn(process.execPath, ["-e", "for(;;){}"], { cwd: scratch, stdio: "ignore" }),
);
let failed = false;
try {
  for (const at of ats) {
    const cacheDir = join(scratch, `cache-${at}`);
    if (buildsCached) cpSync(join(scratch, "seed"), cacheDir, { recursive: true });
    const result = await run(at, cacheDir);
    rmSync(cacheDir, { recursive: true, force: true });
    if ("endedAt" in result) {
      console.log(`T=${at} s: the run ended by itself after ${result.endedAt?.toFixed(1)} s`);
      continue;
    }
    failed ||= result.left.length > 0;
    console.log(
      `T=${at} s (${mode}, ${busy} busy): the last process was gone ${result.lastGone.toFixed(2)} s after Ctrl-C; at +${within} s: ${result.left.length ? result.left.map(short).join("; ") : "none"}`,
    );
    console.log(result.slowest.join("\n"));
    console.log(`    output: ${result.log}`);
    await sleep(2000);
  }
} finally {
  for (const loop of loops) loop.kill("SIGKILL");
  rmSync(join(scratch, "seed"), { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
