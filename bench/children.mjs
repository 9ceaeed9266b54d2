// Child processes the bench starts, killed when it exits for any reason (a crash included).
import { spawn } from "node:child_process";

/** Live children, and whether each leads its own process group. @type {Map<import("node:child_process").ChildProcess, boolean>} */
const live = new Map();

/** Kills a child (its whole process group when it leads one). @param {import("node:child_process").ChildProcess} child */
export function kill(child) {
  const group = live.get(child);
  live.delete(child);
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  try {
    process.kill(group ? -child.pid : child.pid, "SIGKILL");
  } catch {}
}

/**
 * Stops a child: SIGTERM (to its group when it leads one), then `kill` once `graceMs` has passed
 * without an exit. Resolves when it is gone.
 * @param {import("node:child_process").ChildProcess} child @param {number} [graceMs]
 */
export async function stop(child, graceMs = 3000) {
  const group = live.get(child);
  const pid = child.pid;
  if (child.exitCode === null && child.signalCode === null && pid) {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      process.kill(group ? -pid : pid, "SIGTERM");
    } catch {}
    const force = setTimeout(() => kill(child), graceMs);
    await exited;
    clearTimeout(force);
  }
  live.delete(child);
  try {
    if (group && pid) process.kill(-pid, "SIGKILL"); // what is left of its group
  } catch {}
}

process.on("exit", () => {
  for (const child of [...live.keys()]) kill(child);
});

/**
 * `spawn`, tracked until it exits. With `detached`, the child leads a process group and `kill`
 * ends the group (npx → pnpm → turbo → tasks).
 * @param {string} command @param {string[]} args @param {import("node:child_process").SpawnOptions} options
 */
export function spawnTracked(command, args, options) {
  const child = spawn(command, args, options);
  live.set(child, !!options.detached);
  child.once("exit", () => live.delete(child));
  return child;
}
