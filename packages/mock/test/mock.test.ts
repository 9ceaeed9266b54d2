import { execFile, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { mockProcesses, nodeMatrix, survivors } from "@meeting-control/testkit";
import { describe, expect, it } from "vitest";
import { readmePath, renderReadme } from "../scripts/scenarios-table.js";
import { startMockServer } from "../src/index.js";

const TOKEN_URL = "/v1/mmc/control/conferences/token?conferenceID=986947855";
const bin = fileURLToPath(new URL("../bin/meeting-control-mock.js", import.meta.url));

const portIsFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const probe = createServer().once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });

const answers = (url: string) =>
  fetch(url + TOKEN_URL, {
    headers: { "X-Password": "p", "X-Login-Type": "1" },
    signal: AbortSignal.timeout(5000),
  }).then(
    (r) => r.status,
    () => 0,
  );

describe("startMockServer", () => {
  it("runs two servers on free ports at once, and close() frees each port and stops Prism", async () => {
    const [a, b] = await Promise.all([startMockServer({ port: 0 }), startMockServer({ port: 0 })]);
    const pids = [...mockProcesses(new URL(a.url).port), ...mockProcesses(new URL(b.url).port)];
    try {
      expect(a.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(a.url).not.toBe(b.url);
      expect(await answers(a.url)).toBe(200);
      expect(await answers(b.url)).toBe(200);
      expect(pids.length, "a wrapper and a Prism for each").toBe(4);
    } finally {
      await a.close();
      await b.close();
    }
    expect(await portIsFree(Number(new URL(a.url).port))).toBe(true);
    expect(await portIsFree(Number(new URL(b.url).port))).toBe(true);
    expect(await answers(a.url)).toBe(0);
    expect(await survivors(pids, 0)).toEqual([]);
  });

  it("fails fast with a clear message when the port is taken", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const { port } = taken.address() as { port: number };
    try {
      const started = performance.now();
      await expect(startMockServer({ port })).rejects.toThrow(
        `port ${port} on 127.0.0.1 is already in use`,
      );
      expect(performance.now() - started).toBeLessThan(2000);
    } finally {
      taken.close();
    }
  });

  it("dynamic: true answers from the schemas instead of the examples", async () => {
    const server = await startMockServer({ port: 0, dynamic: true });
    try {
      const response = await fetch(`${server.url}${TOKEN_URL}`, {
        headers: { "X-Password": "p", "X-Login-Type": "1" },
      });
      expect(response.status).toBe(200);
      const body = await response.json();
      expect(typeof body.data.token).toBe("string");
      expect(body.data.token).not.toBe("7e4c72a1...");
    } finally {
      await server.close();
    }
  });

  it("close() can be called twice", async () => {
    const server = await startMockServer({ port: 0 });
    await server.close();
    await expect(server.close()).resolves.toBeUndefined();
  });

  it("exited settles after close(), with exit code 0", async () => {
    const server = await startMockServer({ port: 0 });
    await server.close();
    await expect(server.exited).resolves.toMatchObject({ code: 0, signal: null });
  });

  it("exited tells when Prism dies on its own: exit code 1 and why, and the port is closed", async () => {
    const server = await startMockServer({ port: 0 });
    try {
      const [, prism] = mockProcesses(new URL(server.url).port);
      process.kill(prism ?? 0, "SIGKILL");
      const exit = await server.exited;
      expect(exit).toMatchObject({ code: 1, signal: null });
      expect(exit.output).toContain("meeting-control mock: Prism exited (SIGKILL)");
      expect(await answers(server.url)).toBe(0);
    } finally {
      await server.close();
    }
  });

  it("exited tells when the mock's process is killed, and Prism does not outlive it", async () => {
    const server = await startMockServer({ port: 0 });
    try {
      const pids = mockProcesses(new URL(server.url).port);
      expect(pids).toHaveLength(2);
      process.kill(pids[0] ?? 0, "SIGKILL");
      await expect(server.exited).resolves.toMatchObject({ code: null, signal: "SIGKILL" });
      expect(await survivors(pids)).toEqual([]);
      expect(await answers(server.url)).toBe(0);
    } finally {
      await server.close();
    }
  });

  it("leaves no Prism behind when the process that started it is killed with SIGKILL", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mock-parent-"));
    const script = join(dir, "parent.mjs");
    writeFileSync(
      script,
      `import { startMockServer } from ${JSON.stringify(new URL("../src/index.js", import.meta.url).href)};
      const s = await startMockServer({ port: 0 }); console.log(s.url); setInterval(() => {}, 1000);`,
    );
    const parent = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        parent.stdout.once("data", (d) => resolve(String(d).trim()));
        parent.once("exit", (code) => reject(new Error(`the parent exited early (${code})`)));
      });
      expect(await answers(url)).toBe(200);
      const pids = mockProcesses(new URL(url).port);
      expect(pids).toHaveLength(2);
      parent.kill("SIGKILL");
      expect(await survivors(pids)).toEqual([]);
      expect(await answers(url)).toBe(0);
    } finally {
      parent.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the meeting-control-mock command", () => {
  it("prints the URL and the scenarios, answers, and stops everything on SIGINT", async () => {
    const child = spawn(process.execPath, [bin, "--port", "0"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    const deadline = Date.now() + 30_000;
    while (!/Scenarios:/.test(out) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    const url = /Mock meeting-control API: (http:\/\/\S+)/.exec(out)?.[1] ?? "";
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(out).toContain("Prefer: code=403, example=confNotSupportInviteOpenVideo");
    expect(await answers(url)).toBe(200);
    const pids = mockProcesses(new URL(url).port);
    expect(pids).toHaveLength(2);
    child.kill("SIGINT");
    const code = await new Promise((resolve) => child.once("exit", resolve));
    expect(code).toBe(0);
    expect(await survivors(pids, 0)).toEqual([]);
  });

  it("exits 1 and says so when Prism dies under it (before: exit 0, silent)", async () => {
    const child = spawn(process.execPath, [bin, "--port", "0"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    for (const stream of [child.stdout, child.stderr]) stream.on("data", (d) => (out += d));
    const exit = new Promise((resolve) => child.once("exit", resolve));
    try {
      while (!/Scenarios:/.test(out) && child.exitCode === null)
        await new Promise((r) => setTimeout(r, 100));
      const url = /Mock meeting-control API: (http:\/\/\S+)/.exec(out)?.[1] ?? "";
      const [, prism] = mockProcesses(new URL(url).port);
      process.kill(prism ?? 0, "SIGKILL");
      expect(await exit).toBe(1);
      expect(out).toContain("meeting-control-mock: the mock stopped (exit code 1)");
      expect(out).toContain("Prism exited (SIGKILL)");
    } finally {
      child.kill("SIGKILL");
    }
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

// This machine's Node, and in CI also Node 22 and 24 (official binaries from the npm registry).
const NODES = await nodeMatrix();

describe.each(NODES)("on Node $major", ({ path }) => {
  it("the command serves the spec and stops on SIGINT", async () => {
    const child = spawn(path, [bin, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      out += d;
    });
    try {
      const deadline = Date.now() + 30_000;
      while (!/Scenarios:/.test(out) && Date.now() < deadline && child.exitCode === null) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const url = /Mock meeting-control API: (http:\/\/\S+)/.exec(out)?.[1] ?? "";
      expect(url, out).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
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
      expect(version.startsWith(`v${NODES.find((n) => n.path === path)?.major}.`)).toBe(true);
      const pids = mockProcesses(new URL(url).port);
      child.kill("SIGINT");
      expect(await new Promise((resolve) => child.once("exit", resolve))).toBe(0);
      expect(await survivors(pids, 0)).toEqual([]);
    } finally {
      child.kill("SIGKILL");
    }
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
