import { execFileSync } from "node:child_process";

/** One row of `ps`. */
export interface ProcessRow {
  pid: number;
  ppid: number;
  /** Its session. */
  sid: number;
  args: string;
}

function processes(): ProcessRow[] {
  return execFileSync("ps", ["-eo", "pid=,ppid=,sid=,args="], { encoding: "utf8" })
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map(([, pid, ppid, sid, args]) => ({
      pid: Number(pid),
      ppid: Number(ppid),
      sid: Number(sid),
      args: args ?? "",
    }));
}

/**
 * Every process of the session `sid` now (a detached child leads its own, and turbo puts each
 * task in a process group of its own within it): a member stays in it when its parent exits,
 * where it no longer shows up in processTree.
 */
export function processSession(sid: number): ProcessRow[] {
  return processes().filter((row) => row.sid === sid);
}

/**
 * `pid` and every process below it, now. Take it while the tree stands: a process whose parent
 * has exited is re-parented (to init or a subreaper) and no longer shows up under `pid`.
 */
export function processTree(pid: number): ProcessRow[] {
  const rows = processes();
  const tree = rows.filter((r) => r.pid === pid);
  for (let i = 0; i < tree.length; i++) {
    const parent = tree[i]?.pid;
    tree.push(...rows.filter((r) => r.ppid === parent && r.pid !== parent));
  }
  return tree;
}

/** Whether a process is still there (a zombie counts as gone). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const state = execFileSync("ps", ["-o", "stat=", "-p", String(pid)], {
      encoding: "utf8",
    }).trim();
    return state !== "" && !state.startsWith("Z");
  } catch {
    return false; // gone between the two checks: ps exits 1 for a pid it cannot find
  }
}

/**
 * Waits until none of `pids` is alive (or the deadline passes) and returns the survivors. The
 * default deadline only bounds a hang: a loaded machine can take seconds to let a process go.
 */
export async function survivors(pids: number[], withinMs = 60_000): Promise<number[]> {
  const deadline = Date.now() + withinMs;
  let left = pids.filter(alive);
  while (left.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    left = left.filter(alive);
  }
  return left;
}
