import { execFile, execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { connect, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { nodeMatrix, processTree, survivors } from "@meeting-control/testkit";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { readmePath, renderReadme } from "../scripts/scenarios-table.js";
import { own } from "../src/answers.js";
import { type RestFailedRsp, startMockServer } from "../src/index.js";
import { LINGER_MS } from "../src/server.js";
import {
  answers,
  bin,
  exitOf,
  JSON_AUTH,
  outputMatching,
  raw,
  startBin,
  TOKEN,
  VIDEO,
} from "./helpers.js";

const dist = new URL("../dist/index.js", import.meta.url).href;

const portIsFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const probe = createServer().once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });

/** The processes below `pid` now, leaving out the `ps` that lists them. */
const childrenOf = (pid: number) =>
  processTree(pid).filter((row) => row.pid !== pid && !/^ps\b/.test(row.args));

const tokenOf = async (url: string) => {
  const response = await fetch(url + TOKEN, {
    headers: { "X-Password": "p", "X-Login-Type": "1" },
  });
  expect(response.status).toBe(200);
  return (await response.json()).data.token;
};

describe("startMockServer", () => {
  it("runs two servers in this process on free ports at once (one dynamic: answers from the schemas), with no other process; close() frees each port and can be called twice", async () => {
    const [a, b] = await Promise.all([
      startMockServer({ port: 0 }),
      startMockServer({ port: 0, dynamic: true }),
    ]);
    try {
      expect(a.url).toBe(`http://127.0.0.1:${a.port}`);
      expect(a.port).not.toBe(b.port);
      expect(await answers(a.url)).toBe(200);
      expect(await answers(b.url)).toBe(200);
      expect(await tokenOf(a.url)).toBe("7e4c72a1...");
      const generated = await tokenOf(b.url);
      expect(typeof generated).toBe("string");
      expect(generated).not.toBe("7e4c72a1...");
      expect(childrenOf(process.pid)).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
    expect(await portIsFree(a.port)).toBe(true);
    expect(await portIsFree(b.port)).toBe(true);
    expect(await answers(a.url)).toBe(0);
    await expect(a.close()).resolves.toBeUndefined();
    await expect(a.closed).resolves.toBeUndefined();
  });

  it("close() resolves with a keep-alive socket idle and a request stalled mid-body, and closes both", async () => {
    const server = await startMockServer({ port: 0 });
    const agent = new Agent({ keepAlive: true });
    onTestFinished(() => agent.destroy());
    const idle = await new Promise<Socket>((resolve, reject) => {
      const req = request(server.url + VIDEO, { method: "PUT", agent, headers: JSON_AUTH });
      req.on("response", (res) => {
        res.resume();
        res.on("end", () => (req.socket ? resolve(req.socket) : reject(new Error("no socket"))));
      });
      req.on("error", reject);
      req.end('{"status": 0}');
    });
    const stalled = connect(server.port, "127.0.0.1");
    stalled.on("error", () => {});
    await new Promise((resolve) => stalled.once("connect", resolve));
    stalled.write(
      `PUT ${VIDEO} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{"sta`,
    );
    const gone = (socket: Socket) =>
      new Promise<void>((resolve) =>
        socket.destroyed ? resolve() : socket.once("close", () => resolve()),
      );
    await server.close();
    expect(await portIsFree(server.port)).toBe(true);
    await Promise.all([gone(idle), gone(stalled)]);
  });

  it("fails fast with a clear message when the port is taken", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const { port } = taken.address() as { port: number };
    try {
      await expect(startMockServer({ port })).rejects.toThrow(
        `port ${port} on 127.0.0.1 is already in use`,
      );
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });

  it("refuses a bad port or body limit, naming the allowed values", async () => {
    await expect(startMockServer({ port: 70_000 })).rejects.toThrow(
      "port must be a whole number from 0 to 65535; got 70000",
    );
    await expect(startMockServer({ port: 0, bodyLimit: 0 })).rejects.toThrow(
      "bodyLimit must be a whole number of bytes, 1 or more; got 0",
    );
  });

  it("bodyLimit is the cap: a body one byte over it gets 413", async () => {
    const server = await startMockServer({ port: 0, bodyLimit: 13 });
    onTestFinished(() => server.close());
    const put = (body: string) =>
      fetch(server.url + VIDEO, { method: "PUT", headers: JSON_AUTH, body });
    expect((await put('{"status": 1}')).status).toBe(200);
    const over = await put('{"status": 1} ');
    expect(over.status).toBe(413);
    expect(await over.json()).toEqual({
      error_code: "MOCK.BODY_TOO_LARGE",
      error_msg: "The body is larger than the mock's limit of 13 bytes",
    });
  });

  it("CORS for browsers: any origin, never with credentials", async () => {
    const server = await startMockServer({ port: 0 });
    onTestFinished(() => server.close());
    const preflight = await fetch(server.url + VIDEO, {
      method: "OPTIONS",
      headers: {
        origin: "https://evil.example",
        "access-control-request-method": "PUT",
        "access-control-request-headers": "content-type, x-conference-authorization",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-credentials")).toBeNull();
    expect(preflight.headers.get("access-control-allow-methods")).toContain("PUT");
    const answer = await fetch(server.url + VIDEO, {
      method: "PUT",
      headers: { ...JSON_AUTH, origin: "https://evil.example" },
      body: '{"status": 0}',
    });
    expect(answer.headers.get("access-control-allow-origin")).toBe("*");
    expect(answer.headers.get("access-control-allow-credentials")).toBeNull();
    expect(answer.headers.get("access-control-expose-headers")).toBe("*");
  });

  it("a refused client that never closes its side (a slowloris) loses its socket a second after its answer", async () => {
    const server = await startMockServer({ port: 0 });
    onTestFinished(() => server.close());
    // The mock's timer, faked: Node's own limits (headers within 10 s, checked every 2 s) keep
    // real time, so only the mock's close can end the socket here.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    onTestFinished(() => void vi.useRealTimers());
    const sockets = () => process.getActiveResourcesInfo().filter((r) => r === "TCPSocketWrap");
    /** Whether the mock's end is gone within a few turns of the event loop. */
    const mockSideGone = async () => {
      for (let turn = 0; turn < 20; turn++) {
        if (sockets().length <= before + 1) return true;
        await new Promise((resolve) => setImmediate(resolve));
      }
      return false;
    };
    const before = sockets().length;
    const client = connect({ port: server.port, host: "127.0.0.1", allowHalfOpen: true });
    onTestFinished(() => void client.destroy());
    const chunks: Buffer[] = [];
    client.on("data", (chunk) => chunks.push(chunk));
    const ended = new Promise((resolve) => client.once("end", resolve));
    client.write("NOT HTTP\r\n\r\n");
    await ended;
    expect(Buffer.concat(chunks).toString("utf8")).toMatch(/^HTTP\/1\.1 400 /);
    // The client stays open, idle: it has a second to read, and then the mock's end of the
    // connection goes all the same, leaving this process just the client's socket.
    vi.advanceTimersByTime(LINGER_MS - 1);
    expect(await mockSideGone()).toBe(false);
    vi.advanceTimersByTime(1);
    expect(await mockSideGone()).toBe(true);
    expect(client.destroyed).toBe(false);
  });

  it("loads what a mock rarely uses only when it is used: faker for dynamic answers, lodash/fp for a 401", () => {
    const dir = mkdtempSync(join(tmpdir(), "mock-faker-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const script = join(dir, "faker.mjs");
    writeFileSync(
      script,
      `import { createRequire } from "node:module";
import { startMockServer } from ${JSON.stringify(dist)};
const require = createRequire(import.meta.url);
const files = (pattern) => Object.keys(require.cache).filter((k) => pattern.test(k)).length;
const loaded = () => ({
  faker: files(/@faker-js/),
  nodeFetch: files(/node_modules\\/node-fetch\\//),
  esprima: files(/node_modules\\/esprima\\//),
  lodashFp: files(/node_modules\\/lodash\\/fp/),
  lodash: files(/node_modules\\/lodash\\//),
});
const s = await startMockServer({ port: 0, dynamic: process.argv[2] === "dynamic" });
const token = await fetch(s.url + ${JSON.stringify(TOKEN)}, { headers: { "X-Password": "p", "X-Login-Type": "1" } });
const camera = await fetch(s.url + ${JSON.stringify(VIDEO)}, { method: "PUT", headers: ${JSON.stringify(JSON_AUTH)}, body: '{"status": 0}' });
const before = loaded();
const noToken = await fetch(s.url + ${JSON.stringify(VIDEO)}, { method: "PUT", headers: { "content-type": "application/json" }, body: '{"status": 0}' });
const body = await noToken.json();
console.log(JSON.stringify({ statuses: [token.status, camera.status, noToken.status], code: body.error_code, before, after: loaded() }));
await s.close();`,
    );
    const run = (mode: string) =>
      JSON.parse(
        execFileSync(process.execPath, [script, mode], {
          encoding: "utf8",
          timeout: 120_000,
        }).trim(),
      );
    const plain = run("static");
    expect(plain.statuses).toEqual([200, 200, 401]);
    expect(plain.code).toBe("MMC.111070111");
    // lodash.js itself, and not its ~200 per-method files: those are answered from it.
    expect(plain.before).toEqual({ faker: 0, nodeFetch: 0, esprima: 0, lodashFp: 0, lodash: 1 });
    expect(plain.after.lodashFp, "the first 401 loads lodash/fp").toBeGreaterThan(0);
    const dynamic = run("dynamic");
    expect(dynamic.statuses).toEqual([200, 200, 401]);
    expect(dynamic.before.faker).toBeGreaterThan(10);
  });

  /** A process that starts a mock and prints "started <url>", or only "starting". */
  function parentProcess(waitForStart: boolean) {
    const dir = mkdtempSync(join(tmpdir(), "mock-parent-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const script = join(dir, "parent.mjs");
    writeFileSync(
      script,
      waitForStart
        ? `import { startMockServer } from ${JSON.stringify(dist)};
const s = await startMockServer({ port: 0 }); console.log("started " + s.url);
setInterval(() => {}, 1000);`
        : `console.log("starting");
import(${JSON.stringify(dist)}).then((m) => m.startMockServer({ port: 0 })).catch(() => {});
setInterval(() => {}, 1000);`,
    );
    return script;
  }

  it("leaves nothing behind when the process that started it is killed with SIGKILL", async () => {
    const parent = spawn(process.execPath, [parentProcess(true)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    onTestFinished(() => {
      parent.kill("SIGKILL");
    });
    const out = await outputMatching(parent, /started (\S+)\n/);
    const url = /started (\S+)\n/.exec(out)?.[1] ?? "";
    expect(await answers(url)).toBe(200);
    expect(childrenOf(parent.pid ?? 0), "the mock runs in its caller's process").toEqual([]);
    parent.kill("SIGKILL");
    await exitOf(parent);
    expect(await answers(url)).toBe(0);
  });

  it.each([0, 50, 150, 400])(
    "leaves nothing behind when that process is killed %i ms into the start-up",
    async (ms) => {
      const parent = spawn(process.execPath, [parentProcess(false)], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      onTestFinished(() => {
        parent.kill("SIGKILL");
      });
      await outputMatching(parent, /starting/);
      await new Promise((r) => setTimeout(r, ms));
      const tree = processTree(parent.pid ?? 0).map((row) => row.pid);
      parent.kill("SIGKILL");
      expect(await survivors(tree)).toEqual([]);
    },
  );
});

// This machine's Node, and in CI also Node 22 and 24 (official binaries from the npm registry).
const NODES = await nodeMatrix();

describe("the meeting-control-mock command", () => {
  it.each(NODES)(
    "on Node $major: prints the URL and the scenarios, serves the spec in its one process, and stops on SIGINT",
    async ({ major, path }) => {
      const { child, url, out } = await startBin([], { node: path });
      expect(out).toContain("Prefer: code=403, example=confNotSupportInviteOpenVideo");
      expect(await answers(url)).toBe(200);
      const version = await new Promise<string>((resolve) =>
        execFile(path, ["--version"], (_, stdout) => resolve(stdout.trim())),
      );
      expect(version.startsWith(`v${major}.`)).toBe(true);
      expect(childrenOf(child.pid ?? 0)).toEqual([]);
      child.kill("SIGINT");
      expect(await exitOf(child)).toBe(0);
      expect(await portIsFree(Number(new URL(url).port))).toBe(true);
    },
  );

  /** A project where the package is installed, with these npm scripts: npm runs its bin under a shell. */
  function installedIn(scripts: Record<string, string> = {}) {
    const dir = mkdtempSync(join(tmpdir(), "mock-npx-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "npx-user", scripts }));
    mkdirSync(join(dir, "node_modules", "@meeting-control"), { recursive: true });
    mkdirSync(join(dir, "node_modules", ".bin"));
    symlinkSync(
      fileURLToPath(new URL("..", import.meta.url)),
      join(dir, "node_modules", "@meeting-control", "mock"),
    );
    symlinkSync(
      "../@meeting-control/mock/dist/bin.js",
      join(dir, "node_modules", ".bin", "meeting-control-mock"),
    );
    return dir;
  }

  /** `command` in `dir`, in a process group of its own, which is killed after the test. */
  function npmIn(dir: string, command: string, args: string[]) {
    const npm = spawn(command, args, {
      cwd: dir,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, npm_config_update_notifier: "false", npm_config_yes: "true" },
    });
    onTestFinished(() => {
      try {
        process.kill(-(npm.pid ?? 0), "SIGKILL");
      } catch {}
    });
    return npm;
  }

  it("started with npx, stops when npx's npm is sent SIGTERM (a script's `kill $!`), leaving no process and its port free", {
    timeout: 120_000,
  }, async () => {
    const npm = npmIn(installedIn(), "npx", ["meeting-control-mock", "--port", "0"]);
    const out = await outputMatching(npm, /Scenarios:[\s\S]*\n\n/);
    const url = /Mock meeting-control API: (http:\/\/\S+)/.exec(out)?.[1] ?? "";
    expect(await answers(url)).toBe(200);
    const tree = processTree(npm.pid ?? 0).map((row) => row.pid);
    expect(tree.length, "npm, its shell and the mock").toBeGreaterThanOrEqual(2);
    npm.kill("SIGTERM");
    expect(await survivors(tree)).toEqual([]);
    expect(await answers(url)).toBe(0);
    expect(await portIsFree(Number(new URL(url).port))).toBe(true);
  });

  it("started in the background by an npm script (`meeting-control-mock … & sleep 2`), runs on after npm ends", {
    timeout: 120_000,
  }, async () => {
    const dir = installedIn({ bg: "meeting-control-mock --port 0 > mock.log 2>&1 & sleep 2" });
    const npm = npmIn(dir, "npm", ["run", "-s", "bg"]);
    const log = () => {
      try {
        return readFileSync(join(dir, "mock.log"), "utf8");
      } catch {
        return "";
      }
    };
    await expect.poll(log, { timeout: 60_000 }).toMatch(/Scenarios:[\s\S]*\n\n/);
    const url = /Mock meeting-control API: (http:\/\/\S+)/.exec(log())?.[1] ?? "";
    expect(await exitOf(npm)).toBe(0);
    // Its shell has gone too: four of the mock's checks of its parent later, it still answers.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await answers(url)).toBe(200);
    expect(log()).not.toMatch(/stopping/);
  });

  it("--verbose logs each request and Prism's messages, never a header's value", async () => {
    const { child, url } = await startBin(["--verbose"]);
    let err = "";
    child.stderr?.on("data", (d) => {
      err += d;
    });
    const secret = "Basic c2VjcmV0LXRva2VuLXh5ei0xMjM0NQ==";
    const response = await fetch(url + VIDEO, {
      method: "PUT",
      headers: { "content-type": "application/json", "x-conference-authorization": secret },
      body: '{"status": 1}',
    });
    expect(response.status).toBe(200);
    const id = response.headers.get("x-request-id") ?? "";
    await expect
      .poll(() => err)
      .toContain(`PUT /v1/mmc/control/conferences/participants/video → 200`);
    expect(err).toContain(id);
    expect(err).toContain("[");
    expect(err).not.toContain(secret);
    expect(err).not.toContain("c2VjcmV0");
    // A body key with a line break in it (Prism's finding quotes it) stays on its line.
    await fetch(url + VIDEO, {
      method: "PUT",
      headers: { "content-type": "application/json", "x-conference-authorization": secret },
      body: '{"status": 1, "a\\r\\nForged: line": 1}',
    });
    await expect.poll(() => err).toContain("→ 400");
    expect(err.split("\n").filter((line) => line.startsWith("Forged"))).toEqual([]);
    // A request's own token in its path (a client that put it in the wrong place) is taken out.
    // Encoded as encodeURIComponent does, as fetch does (`/` itself), and in another case.
    for (const path of [
      "/secret%20token%2Fxyz-12345",
      "/secret%20token/xyz-12345/y",
      "/SECRET%20TOKEN%2FXYZ-12345/x",
    ]) {
      const misplaced = await fetch(url + path, {
        headers: { "x-conference-authorization": "secret token/xyz-12345" },
      });
      expect(misplaced.status).toBe(404);
      // Nor in the answer, which names the path.
      const { error_msg } = await misplaced.json();
      expect(error_msg).toMatch(/^The spec has no operation at \/\[redacted\]/);
      expect(error_msg.toLowerCase()).not.toContain("xyz-12345");
    }
    // A body key that is the request's token: Prism's finding quotes it, in sl-violations and in
    // its log line.
    const keyed = await fetch(url + VIDEO, {
      method: "PUT",
      headers: { "content-type": "application/json", "x-conference-authorization": secret },
      body: '{"status": 1, "secret-token-xyz-12345": 1}',
    });
    expect(keyed.status).toBe(400);
    expect(keyed.headers.get("sl-violations")).toContain("found '[redacted]'");
    // An Accept that refuses everything and names the token: the 406 quotes the Accept.
    const refused = await fetch(url + VIDEO, {
      method: "PUT",
      headers: {
        "content-type": "application/json",
        "x-conference-authorization": secret,
        accept: "application/secret-token-xyz-12345;q=0",
      },
      body: '{"status": 1}',
    });
    expect(refused.status).toBe(406);
    expect((await refused.json()).error_msg).toBe(
      "Prism: Unable to find content for application/[redacted];q=0",
    );
    await expect.poll(() => err).toContain("additional properties; found '[redacted]'");
    expect(err).not.toContain("secret-token-xyz");
    await expect.poll(() => err).toContain("GET /[redacted]/x → 404");
    expect(err).toContain("GET /[redacted] → 404");
    expect(err).toContain("GET /[redacted]/y → 404");
    expect(err.toLowerCase()).not.toContain("%2fxyz");
    expect(err).not.toContain("token/xyz");
    // An answer given before the body is read (an Expect it cannot meet) is logged too.
    await new Promise<void>((resolve, reject) => {
      const req = request(url + VIDEO, {
        method: "PUT",
        agent: false,
        headers: { "x-conference-authorization": secret, expect: "x-unknown" },
      });
      req.on("response", (res) => res.resume().on("end", resolve));
      req.on("error", reject);
      req.end('{"status": 1}');
    });
    await expect
      .poll(() => err)
      .toContain("PUT /v1/mmc/control/conferences/participants/video → 417");
    expect(err).not.toContain("c2VjcmV0");
    // A request node:http cannot read is logged too, with nothing of what it sent.
    const garbage = connect(Number(new URL(url).port), "127.0.0.1");
    garbage.on("error", () => {});
    garbage.end("PUT /secret-token-xyz-12345 HTTP/1.1\r\nBad Header Line\r\n\r\n");
    await expect
      .poll(() => err)
      .toMatch(/\(a request node:http could not read\) → 400 \(X-Request-Id [\w-]+\)/);
    expect(err).not.toContain("secret-token");
    const tunnel = connect(Number(new URL(url).port), "127.0.0.1");
    tunnel.on("error", () => {});
    tunnel.end("CONNECT secret-host.example:443 HTTP/1.1\r\nHost: secret-host.example:443\r\n\r\n");
    await expect.poll(() => err).toMatch(/CONNECT \(its target not shown\) → 405 \(X-Request-Id /);
    expect(err).not.toContain("secret-host");
  });

  it("--verbose redacts each of Prism's lines with the credentials of the request it is about, not of others in flight", async () => {
    const lines: string[] = [];
    const mock = await startMockServer({ port: 0, verbose: (line) => lines.push(line) });
    onTestFinished(() => mock.close());
    // A request whose token is a word Prism's lines use, stalled in the middle of its body.
    const stalled = connect(Number(new URL(mock.url).port), "127.0.0.1");
    onTestFinished(() => void stalled.destroy());
    await new Promise((resolve) => stalled.once("connect", resolve));
    stalled.write(
      `PUT ${VIDEO} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Conference-Authorization: validation\r\nContent-Length: 100\r\n\r\n{"sta`,
    );
    const token = "secret-token-of-this-one";
    const response = await fetch(mock.url + VIDEO, {
      method: "PUT",
      headers: { "content-type": "application/json", "x-conference-authorization": token },
      body: `{"status": 1, "${token}": 1}`,
    });
    expect(response.status).toBe(400);
    await vi.waitUntil(() => lines.some((line) => line.includes("→ 400")));
    expect(lines).toContain("[VALIDATOR] Request did not pass the validation rules");
    expect(lines).toContain(
      "[VALIDATOR] Request body must NOT have additional properties; found '[redacted]'",
    );
    expect(lines.join("\n")).not.toContain(token);
  });

  it("exits 1 and says why when it cannot listen", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    onTestFinished(() => new Promise<void>((resolve) => taken.close(() => resolve())));
    const { port } = taken.address() as { port: number };
    const child = spawn(process.execPath, [bin, "--port", String(port)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    onTestFinished(() => {
      child.kill("SIGKILL");
    });
    let err = "";
    child.stderr.on("data", (d) => {
      err += d;
    });
    expect(await exitOf(child)).toBe(1);
    expect(err).toContain(
      `port ${port} on 127.0.0.1 is already in use; pick another (--port, or the port option; 0 takes a free one)`,
    );
  });

  it.each([
    [["--port", "http"], "--port must be a whole number from 0 to 65535; got http"],
    [["--port=-1"], "--port must be a whole number from 0 to 65535; got -1"],
    [["--body-limit", "1kb"], "--body-limit must be a whole number of bytes, 1 or more; got 1kb"],
  ])("exits 2 with the allowed values on %j", (args, message) => {
    let error: { status?: number; stderr?: string } = {};
    try {
      execFileSync(process.execPath, [bin, ...args], {
        encoding: "utf8",
        stdio: "pipe",
        timeout: 120_000,
      });
    } catch (e) {
      error = e as typeof error;
    }
    expect(error.status).toBe(2);
    expect(error.stderr).toContain(message);
  });

  it("--version prints the package's version alone", () => {
    const out = execFileSync(process.execPath, [bin, "--version"], {
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(out).toBe(
      `${JSON.parse(readFileSync(join(import.meta.dirname, "../package.json"), "utf8")).version}\n`,
    );
  });

  it("--body-limit sets the cap", async () => {
    const { url } = await startBin(["--body-limit", "8"]);
    const host = new URL(url).host;
    const answer = await raw(
      url,
      `PUT ${VIDEO} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 13\r\nConnection: close\r\n\r\n{"status": 1}`,
    );
    expect(answer).toMatchObject({ status: 413 });
  });
});

describe("the package README", () => {
  it("lists every scenario of the spec (run `pnpm generate` if not)", () => {
    const readme = readFileSync(readmePath, "utf8");
    expect(renderReadme(readme)).toBe(readme);
    expect(readme).toContain(
      '| InviteOperateVideo | The meeting is locked | `Prefer: code=400, example=confLocked` | 400 `{"error_code":"MMC.111072050"',
    );
  });

  it("names every code of the mock's own answers (MOCK.…)", () => {
    const readme = readFileSync(readmePath, "utf8");
    // Each of `own`'s answers, with each status that picks a code of its own.
    const codes = new Set(
      Object.values(own).flatMap((make) =>
        [400, 415, 501, 502, 504].map(
          (status) =>
            (make as (...args: unknown[]) => RestFailedRsp)(status, ["x"], ["y"]).error_code,
        ),
      ),
    );
    const missing = [...codes].filter(
      (code) => !readme.includes(code.startsWith("MOCK.PRISM_") ? "`MOCK.PRISM_<" : `\`${code}\``),
    );
    expect(codes.size).toBeGreaterThan(10);
    expect(missing).toEqual([]);
  });

  it("says what contract mode's token answer holds: an expireTime long past, of the year it names", async () => {
    const readme = readFileSync(readmePath, "utf8");
    const year = Number(
      /CreateConfToken's `expireTime` is the\s+documentation's example, a moment in (\d{4}), long past/.exec(
        readme,
      )?.[1],
    );
    const mock = await startMockServer({ port: 0 });
    try {
      const response = await fetch(mock.url + TOKEN, {
        headers: { "X-Password": "p", "X-Login-Type": "1" },
      });
      const { data } = await response.json();
      expect(new Date(data.expireTime).getUTCFullYear()).toBe(year);
      expect(data.expireTime).toBeLessThan(Date.now());
      expect(data.confTokenExpireTime).toBeGreaterThan(0);
    } finally {
      await mock.close();
    }
  });
});
