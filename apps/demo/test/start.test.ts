import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { type AddressInfo, createServer, type Server } from "node:net";
import { basename, join } from "node:path";
import {
  alive,
  type ProcessRow,
  processSession,
  processTree,
  survivors,
  workspacePackages,
  workspaceRoot,
} from "@meeting-control/testkit";
import { describe, expect, it, onTestFinished } from "vitest";
import { browserHosts, meetingLines, SAMPLE_MEETINGS } from "../scripts/simulated.mjs";

const root = workspaceRoot();
const rootScripts = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts;
const [MEETING = { conferenceID: "", hostPassword: "", participants: [] }] = SAMPLE_MEETINGS;
const TOKEN_PATH = `/v1/mmc/control/conferences/token?conferenceID=${MEETING.conferenceID}`;
const READY = "Ctrl-C stops everything";

// The signal only stops a hang: under load a first answer can take seconds, and a refused
// connection (status 0) is refused at once whatever the limit.
const get = (url: string, init?: RequestInit) =>
  fetch(url, { ...init, signal: AbortSignal.timeout(60_000) }).then(
    async (r) => ({ status: r.status, text: await r.text() }),
    () => ({ status: 0, text: "" }),
  );
const token = (base: string, password = MEETING.hostPassword) =>
  get(base + TOKEN_PATH, { headers: { "X-Password": password, "X-Login-Type": "1" } });

/** Free ports on `host`, held together so they differ, then released for `start` to take. */
async function freePorts(host: string, count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((resolve, reject) => {
          const server = createServer().once("error", reject);
          server.listen(0, host, () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  return ports;
}

// Not the default host, so the URLs prove HOST arrived; any 127.x address is loopback on Linux.
// Elsewhere (macOS has only 127.0.0.1) the test falls back to the default.
const HOST = await freePorts("127.0.0.2", 1).then(
  () => "127.0.0.2",
  () => "127.0.0.1",
);

// `pnpm start` as the README runs it: the root script, so turbo and its strict env decide what
// reaches this package's start. `--only` skips the builds `start` depends on: this test runs
// after them, and a nested turbo restoring their outputs from the cache could rewrite dist/ while
// another package's tests read it.
function startCommand(): string[] {
  const execpath = process.env.npm_execpath ?? "";
  // The pnpm that runs this test (under `pnpm exec` this can be npx's npm instead).
  if (basename(execpath).startsWith("pnpm")) return [execpath, "start", "--only"];
  // Otherwise the root script's own words, run with the workspace's turbo.
  const [, ...args] = String(rootScripts.start).split(" ");
  return [join(root, "node_modules/turbo/bin/turbo"), ...args, "--only"];
}

/** Runs `pnpm start` in its own process group, as a terminal would, and waits until it is up. */
async function start(takenMockPort?: number, host = HOST) {
  const [freeMock = 0, docsPort = 0, demoPort = 0] = await freePorts(host, 3);
  const mockPort = takenMockPort ?? freeMock;
  const child = spawn(process.execPath, startCommand(), {
    cwd: root,
    detached: true,
    env: {
      ...process.env,
      HOST: host,
      MOCK_PORT: String(mockPort),
      DOCS_PORT: String(docsPort),
      DEMO_PORT: String(demoPort),
      TURBO_TELEMETRY_DISABLED: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => {
    output += d;
  });
  child.stderr.on("data", (d) => {
    output += d;
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once("exit", (code, signal) => {
      // Let the pipes drain (anything still holding them shows up as a survivor instead).
      const done = () => resolve({ code, signal });
      const late = setTimeout(done, 5000);
      child.once("close", () => {
        clearTimeout(late);
        done();
      });
    }),
  );
  const pid = child.pid ?? 0;
  let tree: ProcessRow[] = [];
  // Ctrl-C of vitest reaches this worker but not that group (it is detached), and the worker dies
  // of it before any test hook runs: pass it on as the terminal would, or `pnpm start` outlives
  // the run, then die of it as before (vitest counts on that: it does not stop the worker itself).
  const interrupt = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, "SIGINT");
    } catch {}
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);
  // Whatever is left, killed when the test ends, even by a timeout (a `finally` after an await
  // that never settles would not run).
  onTestFinished(() => {
    process.off("SIGINT", interrupt);
    process.off("SIGTERM", interrupt);
    for (const { pid: p } of [...tree, ...processTree(pid), ...processSession(pid)])
      if (alive(p))
        try {
          process.kill(p, "SIGKILL");
        } catch {}
  });
  const deadline = Date.now() + 150_000;
  while (!output.includes(READY) && Date.now() < deadline && child.exitCode === null)
    await new Promise((r) => setTimeout(r, 200));
  // Taken while the tree stands: pnpm, turbo (its shim and its binary), the package's pnpm, and
  // scripts/start.mjs, which serves the mock, the docs and the demo itself.
  tree = processTree(pid);
  return {
    pid,
    url: (port = 0) => `http://${host}:${port}`,
    ports: { mock: mockPort, docs: docsPort, demo: demoPort },
    output: () => output,
    /** How it ended, or `undefined` if it is still running after `ms`. */
    ended: (ms: number) =>
      new Promise<Awaited<typeof exited> | undefined>((resolve) => {
        const timer = setTimeout(resolve, ms);
        exited.then((how) => {
          clearTimeout(timer);
          resolve(how);
        });
      }),
    tree,
    /**
     * What is left of it now: the tree taken when it was up, and its session (a process whose
     * parent has exited stays in it, as one the mock's failure left behind would).
     */
    rest: () => [...tree, ...processSession(pid)],
  };
}

const described = (pids: number[], tree: ProcessRow[]) =>
  pids.map((pid) => tree.find((row) => row.pid === pid)?.args ?? String(pid));

describe("pnpm start", () => {
  it("is `turbo run start`, and this package is the only one with a start script", () => {
    expect(rootScripts.start).toBe("turbo run start");
    const withStart = workspacePackages(root)
      .map((dir) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8")))
      .filter((manifest) => manifest.scripts?.start !== undefined)
      .map((manifest) => manifest.name);
    expect(withStart).toEqual(["@meeting-control/demo"]);
  });

  it("through turbo, serves the demo, the docs and the mock on MOCK_PORT, DOCS_PORT, DEMO_PORT and HOST, and leaves nothing behind after Ctrl-C", {
    timeout: 240_000,
  }, async () => {
    const run = await start();
    {
      const { ports, url } = run;
      const out = run.output();
      expect(out, out).toContain(READY);
      expect(out).toContain(`Demo console  ${url(ports.demo)}/#baseUrl=`);
      expect(out).toContain(`API docs      ${url(ports.docs)}/`);
      expect(out).toContain(`Mock API      ${url(ports.mock)}`);

      const page = await get(`${url(ports.demo)}/`);
      expect(page.status).toBe(200);
      expect(page.text).toContain("<title>");
      const reference = await get(`${url(ports.docs)}/`);
      expect(reference.status).toBe(200);
      expect(reference.text).toContain("meeting-control API reference");
      // A malformed path is a 400, and the one process serving all three stays up.
      for (const port of [ports.demo, ports.docs])
        expect((await get(`${url(port)}/%E0%A4%A`)).status, `port ${port}`).toBe(400);
      expect((await get(`${url(ports.demo)}/`)).status).toBe(200);
      // The mock simulates the sample meeting: its host password gets a token, another does not,
      // and the banner prints the meeting for a user to drive it.
      for (const line of meetingLines(MEETING).split("\n")) expect(out).toContain(line.trim());
      expect((await token(url(ports.mock))).status).toBe(200);
      expect((await token(url(ports.mock), `not-${MEETING.hostPassword}`)).status).toBe(400);
      const demoUrl = new URL(/Demo console {2}(\S+)/.exec(out)?.[1] ?? "");
      expect(demoUrl.search, "settings stay out of what the browser sends").toBe("");
      expect(Object.fromEntries(new URLSearchParams(demoUrl.hash.slice(1)))).toEqual({
        baseUrl: url(ports.mock),
        simulator: `${url(ports.mock)}/__mock`,
        conferenceID: MEETING.conferenceID,
        participantID: MEETING.participants[0]?.participantID,
        hostPassword: MEETING.hostPassword,
      });
      const state = await get(`${url(ports.mock)}/__mock/meetings/${MEETING.conferenceID}`);
      expect(JSON.parse(state.text).tokens).toHaveLength(1);
      // The demo's page may read the admin routes; a page of another site may not.
      const fromPage = (origin: string) =>
        get(`${url(ports.mock)}/__mock/meetings/${MEETING.conferenceID}`, { headers: { origin } });
      expect((await fromPage(url(ports.demo))).status).toBe(200);
      expect((await fromPage("https://attacker.example")).status).toBe(403);
      if (HOST !== "127.0.0.1") {
        for (const port of Object.values(ports))
          expect((await get(`http://127.0.0.1:${port}/`)).status, `127.0.0.1:${port}`).toBe(0);
      }
      // The node process itself (pnpm may run it through `sh -c`, a row of its own).
      const starter = run.tree.filter((row) => /^\S*node\s+scripts\/start\.mjs/.test(row.args));
      expect(starter, "start.mjs serves all three").toHaveLength(1);
      expect(
        run.tree.filter((row) => row.ppid === starter[0]?.pid),
        "no process of its own for the mock (or anything else)",
      ).toEqual([]);

      // Ctrl-C in a terminal: SIGINT to the whole foreground process group.
      process.kill(-run.pid, "SIGINT");
      const ended = await run.ended(60_000);
      expect(ended, "still running a minute after SIGINT").toBeDefined();
      expect(run.output(), `exit ${ended?.code ?? ended?.signal}`).not.toContain("pnpm start:");
      for (const port of Object.values(ports))
        expect((await get(`${url(port)}/`)).status, `port ${port}`).toBe(0);
      const rest = run.rest();
      const left = await survivors(rest.map((row) => row.pid));
      expect(described(left, rest)).toEqual([]);
    }
  });

  it("with HOST=0.0.0.0, prints loopback URLs and one at each address for another machine, where the demo's page may read the admin routes", {
    timeout: 240_000,
  }, async () => {
    const run = await start(undefined, "0.0.0.0");
    const { ports } = run;
    const out = run.output();
    expect(out, out).toContain(READY);
    // Browsers refuse 0.0.0.0: this machine's URLs are on 127.0.0.1.
    const local = (port: number) => `http://127.0.0.1:${port}`;
    expect(out).toContain(`Demo console  ${local(ports.demo)}/#baseUrl=`);
    expect(out).toContain(`API docs      ${local(ports.docs)}/`);
    expect(out).toContain(`Mock API      ${local(ports.mock)}`);
    expect(out).not.toContain("0.0.0.0:");
    // turbo prefixes each line with the task's name.
    const elsewhere = out
      .split("\n")
      .filter((line) => !line.includes("Demo console"))
      .flatMap((line) => /\s(http:\/\/\S+\/#\S+)\s*$/.exec(line)?.[1] ?? [])
      .map((link) => new URL(link));
    const names = browserHosts("0.0.0.0").slice(1);
    expect(names.length, "the machine's name at least").toBeGreaterThan(0);
    expect(elsewhere.map((page) => page.hostname)).toEqual(names);
    for (const page of elsewhere) {
      // The page drives the mock at the name it was opened by, and may read the admin routes
      // (the request goes to loopback here: the origin check reads the Origin header alone).
      const settings = Object.fromEntries(new URLSearchParams(page.hash.slice(1)));
      expect(new URL(settings.baseUrl ?? "").host).toBe(`${page.hostname}:${ports.mock}`);
      const state = await get(`${local(ports.mock)}/__mock/meetings/${MEETING.conferenceID}`, {
        headers: { origin: page.origin },
      });
      expect(state.status, page.origin).toBe(200);
    }
    const attacker = await get(`${local(ports.mock)}/__mock/meetings/${MEETING.conferenceID}`, {
      headers: { origin: "https://attacker.example" },
    });
    expect(attacker.status).toBe(403);
    expect((await token(local(ports.mock))).status).toBe(200);
    process.kill(-run.pid, "SIGINT");
    expect(await run.ended(60_000), "still running a minute after SIGINT").toBeDefined();
    const rest = run.rest();
    const left = await survivors(rest.map((row) => row.pid));
    expect(described(left, rest)).toEqual([]);
  });

  it("names the mock, serves nothing and exits non-zero when the mock cannot start (its port is taken)", {
    timeout: 240_000,
  }, async () => {
    const [port = 0] = await freePorts(HOST, 1);
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(port, HOST, resolve));
    onTestFinished(() => new Promise<void>((resolve) => taken.close(() => resolve())));
    const run = await start(port);
    const ended = await run.ended(60_000);
    expect(ended, "still running a minute after the mock failed").toBeDefined();
    expect(ended?.code).not.toBe(0);
    expect(ended?.code).not.toBeNull();
    // turbo prints a task's stderr among its own output (on its stdout), prefixed.
    const out = run.output();
    expect(out).toContain(
      `pnpm start: meeting-control-mock: port ${port} on ${HOST} is already in use`,
    );
    expect(out).not.toContain(READY);
    for (const other of [run.ports.docs, run.ports.demo])
      expect((await get(`${run.url(other)}/`)).status, `port ${other}`).toBe(0);
    const rest = run.rest();
    const left = await survivors(rest.map((row) => row.pid));
    expect(described(left, rest)).toEqual([]);
  });
});

describe("the names start's banner gives for a HOST", () => {
  const interfaces = {
    lo: [
      { address: "127.0.0.1", family: "IPv4", scopeid: undefined },
      { address: "::1", family: "IPv6", scopeid: 0 },
    ],
    eth0: [
      { address: "10.0.0.5", family: "IPv4", scopeid: undefined },
      { address: "fe80::1", family: "IPv6", scopeid: 2 },
      { address: "fd00::5", family: "IPv6", scopeid: 0 },
    ],
  } as unknown as Parameters<typeof browserHosts>[1];

  it("are the host itself, unless it is every address", () => {
    expect(browserHosts("127.0.0.2", interfaces, "box")).toEqual(["127.0.0.2"]);
    expect(browserHosts("10.0.0.5", interfaces, "box")).toEqual(["10.0.0.5"]);
  });

  it("for 0.0.0.0, loopback first, then each IPv4 address and the machine's name as a URL writes it", () => {
    expect(browserHosts("0.0.0.0", interfaces, "Build-Box")).toEqual([
      "127.0.0.1",
      "10.0.0.5",
      "build-box",
    ]);
  });

  it("for ::, IPv6 addresses too, but not link-local ones, which a URL cannot name; no name a URL cannot hold", () => {
    expect(browserHosts("::", interfaces, "bad name")).toEqual([
      "127.0.0.1",
      "::1",
      "10.0.0.5",
      "fd00::5",
    ]);
  });
});
