// The processes a command started, for scripts/test.mjs to stop them all on Ctrl-C: everything
// below it by parent links, plus the process groups and sessions those processes are in (turbo
// runs each task in its own group, in a terminal on its own pty, and a test may start a detached
// group, such as the mock's Prism or Playwright's Chromium), except our own group and session.
// Linux reads /proc (no process to spawn while the machine is busy stopping); elsewhere `ps`.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** @typedef {{ pid: number, ppid: number, pgid: number, sid: number, start: string }} Row */

/** @returns {Row[]} every live process (a zombie has already exited) */
export function processes() {
  if (process.platform === "linux") {
    /** @type {Row[]} */
    const rows = [];
    for (const name of readdirSync("/proc")) {
      if (!/^\d+$/.test(name)) continue;
      let stat;
      try {
        stat = readFileSync(`/proc/${name}/stat`, "utf8");
      } catch {
        continue; // gone since readdir
      }
      // After the command name (in parentheses, which may hold spaces): state, ppid, pgrp,
      // session, … and the start time, field 22 (man 5 proc).
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (fields[0] === "Z") continue;
      rows.push({
        pid: Number(name),
        ppid: Number(fields[1]),
        pgid: Number(fields[2]),
        sid: Number(fields[3]),
        start: fields[19] ?? "",
      });
    }
    return rows;
  }
  try {
    return execFileSync("ps", ["-A", "-o", "pid=,ppid=,pgid=,lstart="], { encoding: "utf8" })
      .trim()
      .split("\n")
      .map((line) => {
        const [pid = "0", ppid = "0", pgid = "0", ...start] = line.trim().split(/\s+/);
        return {
          pid: Number(pid),
          ppid: Number(ppid),
          pgid: Number(pgid),
          sid: 0,
          start: start.join(" "),
        };
      });
  } catch {
    return [];
  }
}

/**
 * The processes in `rows` that `known` are, or started (see the top of this file).
 * @param {(row: Row) => boolean} known
 * @param {Row[]} rows
 */
function tree(known, rows) {
  const self = rows.find((row) => row.pid === process.pid);
  /** @type {Map<number, Row>} */
  const found = new Map();
  const add = (/** @type {Row} */ row) => {
    if (row.pid === process.pid || row.pid <= 1 || found.has(row.pid)) return false;
    found.set(row.pid, row);
    return true;
  };
  for (let grew = true; grew; ) {
    grew = false;
    for (const row of rows) {
      if (known(row) || found.has(row.ppid)) grew = add(row) || grew;
    }
    const groups = new Set([...found.values()].map((row) => row.pgid));
    const sessions = new Set([...found.values()].map((row) => row.sid));
    groups.delete(self?.pgid ?? -1);
    sessions.delete(self?.sid ?? -1);
    sessions.delete(0);
    for (const row of rows) {
      if (groups.has(row.pgid) || sessions.has(row.sid)) grew = add(row) || grew;
    }
  }
  return found;
}

/**
 * Keeps track of what `root` started, so it can all be killed even after some of it has been
 * re-parented (a process whose parent exits moves to init and is no longer "below" anything).
 * @param {number} root
 */
export function processTree(root) {
  /** @type {Map<number, string>} pid -> start time, so a pid reused since is left alone */
  const seen = new Map();
  // What is below `root` now, and below anything seen before (which may have moved to init).
  const note = (rows = processes()) => {
    const now = tree((row) => row.pid === root || seen.get(row.pid) === row.start, rows);
    for (const [pid, row] of now) seen.set(pid, row.start);
    return now;
  };
  return {
    /** Records what is running now. */
    note: () => void note(),
    /** Sends `signal` to every process group recorded, but our own: what a terminal would do. */
    signalGroups(/** @type {NodeJS.Signals} */ signal) {
      const rows = processes();
      const own = rows.find((row) => row.pid === process.pid)?.pgid;
      const groups = new Set([...note(rows).values()].map((row) => row.pgid));
      for (const pgid of groups) {
        if (pgid === own || pgid <= 1) continue;
        try {
          process.kill(-pgid, signal);
        } catch {}
      }
    },
    /** The processes directly below `root` (turbo's binary, below its Node launcher). */
    children: () => [...note().values()].filter((row) => row.ppid === root).map((row) => row.pid),
    /** SIGKILLs everything recorded that is still running; returns how many that was. */
    kill() {
      const live = note();
      for (const pid of live.keys()) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {}
      }
      return live.size;
    },
  };
}
