import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { mockProcesses, nodeMatrix, survivors } from "@meeting-control/testkit";
import { describe, expect, it, onTestFinished } from "vitest";
import { readmePath, renderReadme } from "../scripts/scenarios-table.js";
import { startMockServer } from "../src/index.js";

const TOKEN_URL = "/v1/mmc/control/conferences/token?conferenceID=986947855";
const bin = fileURLToPath(new URL("../bin/meeting-control-mock.js", import.meta.url));
const index = new URL("../src/index.js", import.meta.url).href;
// A Prism start on a loaded machine can take many times its idle second; the test timeout, not
// this, is what stops a start that hangs.
const START = { port: 0, startTimeoutMs: 150_000 };

const portIsFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const probe = createServer().once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });

/** The status of a token request, or 0 when nothing answers (the connection is refused). */
const answers = (url: string) =>
  fetch(url + TOKEN_URL, { headers: { "X-Password": "p", "X-Login-Type": "1" } }).then(
    async (r) => {
      await r.arrayBuffer();
      return r.status;
    },
    () => 0,
  );

/** Resolves with the child's output once `pattern` shows in it; rejects if the child exits first. */
function outputMatching(child: ChildProcess, pattern: RegExp): Promise<string> {
  let out = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk;
      if (pattern.test(out)) resolve(out);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code, signal) =>
      reject(new Error(`exited (${signal ?? code}) before printing ${pattern}:\n${out}`)),
    );
  });
}

const exitOf = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });

describe("startMockServer", () => {
  it("runs two servers on free ports at once (one of them dynamic: answers from the schemas); close() frees each port, stops Prism, and can be called twice", async () => {
    const [a, b] = await Promise.all([
      startMockServer(START),
      startMockServer({ ...START, dynamic: true }),
    ]);
    const pids = [...mockProcesses(new URL(a.url).port), ...mockProcesses(new URL(b.url).port)];
    try {
      expect(a.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(a.url).not.toBe(b.url);
      expect(await answers(a.url)).toBe(200);
      expect(await answers(b.url)).toBe(200);
      expect(pids.length, "a wrapper and a Prism for each").toBe(4);

      const token = async (url: string) => {
        const response = await fetch(`${url}${TOKEN_URL}`, {
          headers: { "X-Password": "p", "X-Login-Type": "1" },
        });
        expect(response.status).toBe(200);
        return (await response.json()).data.token;
      };
      expect(await token(a.url)).toBe("7e4c72a1...");
      const generated = await token(b.url);
      expect(typeof generated).toBe("string");
      expect(generated).not.toBe("7e4c72a1...");
    } finally {
      await a.close();
      await b.close();
    }
    expect(await portIsFree(Number(new URL(a.url).port))).toBe(true);
    expect(await portIsFree(Number(new URL(b.url).port))).toBe(true);
    expect(await answers(a.url)).toBe(0);
    expect(await survivors(pids, 0)).toEqual([]);
    await expect(a.close()).resolves.toBeUndefined();
    await expect(a.exited).resolves.toMatchObject({ code: 0, signal: null });
  });

  it("exited tells when Prism dies on its own: exit code 1 and why, and the port is closed", async () => {
    const server = await startMockServer(START);
    onTestFinished(() => server.close());
    const [, prism] = mockProcesses(new URL(server.url).port);
    // A missing pid must fail here: kill(0) would signal this test's own process group.
    if (!prism) throw new Error("no Prism process found");
    process.kill(prism, "SIGKILL");
    const exit = await server.exited;
    expect(exit).toMatchObject({ code: 1, signal: null });
    expect(exit.output).toContain("meeting-control mock: Prism exited (SIGKILL)");
    expect(await answers(server.url)).toBe(0);
  });

  it("exited tells when the mock's process is killed, and Prism does not outlive it", async () => {
    const server = await startMockServer(START);
    onTestFinished(() => server.close());
    const pids = mockProcesses(new URL(server.url).port);
    expect(pids).toHaveLength(2);
    if (!pids[0]) throw new Error("no mock process found");
    process.kill(pids[0], "SIGKILL");
    await expect(server.exited).resolves.toMatchObject({ code: null, signal: "SIGKILL" });
    expect(await survivors(pids)).toEqual([]);
    expect(await answers(server.url)).toBe(0);
  });

  it("fails fast with a clear message when the port is taken: before starting anything", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const { port } = taken.address() as { port: number };
    try {
      // That message comes only from the check made before the mock's process is started; with
      // a start timeout longer than the test's, a mock that waited instead could not pass.
      await expect(startMockServer({ port, startTimeoutMs: 600_000 })).rejects.toThrow(
        `port ${port} on 127.0.0.1 is already in use`,
      );
      expect(mockProcesses(port)).toEqual([]);
    } finally {
      taken.close();
    }
  });

  /** A process that starts a mock on `port` (a free one picked here) and prints "started". */
  function parentProcess(waitForPrism: boolean) {
    const dir = mkdtempSync(join(tmpdir(), "mock-parent-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const script = join(dir, "parent.mjs");
    writeFileSync(
      script,
      waitForPrism
        ? `import { startMockServer } from ${JSON.stringify(index)};
const s = await startMockServer(${JSON.stringify(START)}); console.log("started " + s.url);
setInterval(() => {}, 1000);`
        : `import { startMockServer } from ${JSON.stringify(index)};
startMockServer({ port: Number(process.argv[2]), startTimeoutMs: 150000 }).catch(() => {});
console.log("started"); setInterval(() => {}, 1000);`,
    );
    return script;
  }

  it("leaves no Prism behind when the process that started it is killed with SIGKILL", async () => {
    const parent = spawn(process.execPath, [parentProcess(true)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    onTestFinished(() => {
      parent.kill("SIGKILL");
    });
    const out = await outputMatching(parent, /started (\S+)\n/);
    const url = /started (\S+)\n/.exec(out)?.[1] ?? "";
    expect(await answers(url)).toBe(200);
    const pids = mockProcesses(new URL(url).port);
    expect(pids).toHaveLength(2);
    parent.kill("SIGKILL");
    expect(await survivors(pids)).toEqual([]);
    expect(await answers(url)).toBe(0);
  });

  it("leaves nothing behind when that process is killed while Prism is still starting", async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const parent = spawn(process.execPath, [parentProcess(false), String(port)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    onTestFinished(() => {
      parent.kill("SIGKILL");
    });
    await outputMatching(parent, /started/);
    // Kill the parent as soon as the mock's own process shows: Prism takes a second or more
    // of CPU to load, so it is still starting (and the old mock, which watched its parent only
    // once Prism answered, stayed behind here for good).
    let pids: number[] = [];
    while (!pids.length) {
      await new Promise((r) => setTimeout(r, 20));
      pids = mockProcesses(port);
    }
    parent.kill("SIGKILL");
    expect(await survivors(pids)).toEqual([]);
  });
});

// This machine's Node, and in CI also Node 22 and 24 (official binaries from the npm registry).
const NODES = await nodeMatrix();

describe("the meeting-control-mock command", () => {
  it.each(NODES)(
    "on Node $major: prints the URL and the scenarios, serves the spec, and stops everything on SIGINT",
    async ({ major, path }) => {
      const child = spawn(path, [bin, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
      onTestFinished(() => {
        child.kill("SIGKILL");
      });
      const out = await outputMatching(child, /Scenarios:[\s\S]*\n\n/);
      const url = /Mock meeting-control API: (http:\/\/\S+)/.exec(out)?.[1] ?? "";
      expect(url, out).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(out).toContain("Prefer: code=403, example=confNotSupportInviteOpenVideo");
      expect(await answers(url)).toBe(200);
      const response = await fetch(
        `${url}/v1/mmc/control/conferences/participants/video?conferenceID=986947855&participantID=4a5rg64ag5p8pvvnam1rr6m8lqra6a61`,
        {
          method: "PUT",
          headers: {
            "content-type": "application/json",
            "x-conference-authorization": "Basic Y25yYjQy",
          },
          body: '{"status": 1}',
        },
      );
      expect(response.status).toBe(200);
      const version = await new Promise<string>((resolve) =>
        execFile(path, ["--version"], (_, stdout) => resolve(stdout.trim())),
      );
      expect(version.startsWith(`v${major}.`)).toBe(true);
      const pids = mockProcesses(new URL(url).port);
      expect(pids).toHaveLength(2);
      child.kill("SIGINT");
      expect(await exitOf(child)).toBe(0);
      expect(await survivors(pids, 0)).toEqual([]);
    },
  );

  it("exits 1 and says so when Prism dies under it (before: exit 0, silent)", async () => {
    const child = spawn(process.execPath, [bin, "--port", "0"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    onTestFinished(() => {
      child.kill("SIGKILL");
    });
    let out = await outputMatching(child, /Scenarios:[\s\S]*\n\n/);
    child.stderr.on("data", (d) => {
      out += d;
    });
    const url = /Mock meeting-control API: (http:\/\/\S+)/.exec(out)?.[1] ?? "";
    const [, prism] = mockProcesses(new URL(url).port);
    // A missing pid must fail here: kill(0) would signal this test's own process group.
    if (!prism) throw new Error("no Prism process found");
    process.kill(prism, "SIGKILL");
    expect(await exitOf(child)).toBe(1);
    expect(out).toContain("meeting-control-mock: the mock stopped (exit code 1)");
    expect(out).toContain("Prism exited (SIGKILL)");
  });

  it("exits 2 with the allowed values on a bad --port", () => {
    let error: { status?: number; stderr?: string } = {};
    try {
      execFileSync(process.execPath, [bin, "--port", "http"], { encoding: "utf8", stdio: "pipe" });
    } catch (e) {
      error = e as typeof error;
    }
    expect(error.status).toBe(2);
    expect(error.stderr).toContain("--port must be a whole number from 0 to 65535");
  });
});

describe("the package README", () => {
  it("lists every scenario of the spec (run scripts/scenarios-table.js --write if not)", () => {
    const readme = readFileSync(readmePath, "utf8");
    expect(renderReadme(readme)).toBe(readme);
    expect(readme).toContain(
      "| InviteOperateVideo | The meeting is locked (MMC.111072050) | `Prefer: code=400, example=confLocked` |",
    );
  });
});
