import { fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { get } from "node:http";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

/** The bundled spec the mock serves. */
// require.resolve, not import.meta.resolve: vite's module runner (a vitest globalSetup) lacks it.
export const specPath = createRequire(import.meta.url).resolve(
  "@meeting-control/spec/openapi.yaml",
);
const childPath = fileURLToPath(new URL("./prism-child.js", import.meta.url));

/** @param {number} port @param {string} host @returns {Promise<number>} */
function claimPort(port, host) {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (/** @type {NodeJS.ErrnoException} */ error) =>
      reject(
        new Error(
          error.code === "EADDRINUSE"
            ? `meeting-control mock: port ${port} on ${host} is already in use; pick another with --port (or port: 0 for a free one)`
            : `meeting-control mock: cannot listen on ${host}:${port}: ${error.message}`,
        ),
      ),
    );
    probe.listen(port, host, () => {
      const address = probe.address();
      const actual = typeof address === "object" && address ? address.port : port;
      probe.close(() => resolve(actual));
    });
  });
}

/** @param {string} host */
const urlHost = (host) => (host.includes(":") ? `[${host}]` : host);

/**
 * Starts Prism on the bundled spec and resolves once it answers requests.
 * @param {{ port?: number, host?: string, dynamic?: boolean, startTimeoutMs?: number }} [options]
 * @returns {Promise<import("./index.js").MockServer>}
 */
export async function startMockServer({
  port = 4010,
  host = "127.0.0.1",
  dynamic = false,
  startTimeoutMs = 30_000,
} = {}) {
  const actualPort = await claimPort(port, host);
  const url = `http://${urlHost(host)}:${actualPort}`;
  const args = [specPath, String(actualPort), host, dynamic ? "dynamic" : ""];

  const child = fork(childPath, args, { detached: true, stdio: ["ignore", "pipe", "pipe", "ipc"] });
  /** @type {string[]} */
  const output = [];
  const keep = (/** @type {Buffer} */ chunk) => {
    output.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    output.splice(0, Math.max(0, output.length - 20));
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const kill = () => {
    try {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    } catch {}
  };
  process.once("exit", kill);
  /** @type {Promise<import("./index.js").MockExit>} */
  const exited = new Promise((resolve) => {
    child.once("exit", (code, signal) => {
      process.removeListener("exit", kill);
      // Prism outlives its parent when that was SIGKILLed: stop the rest of the group, then
      // wait for the pipes (Prism shares them) so the mock process's last words are in `output`.
      kill();
      const done = () => resolve({ code, signal, output: [...output] });
      // Not unref'd: after the exit nothing else may hold the event loop (the IPC channel is
      // gone), and a caller waiting on `exited` must still hear it.
      const late = setTimeout(done, 2000);
      let open = [child.stdout, child.stderr].filter((stream) => stream && !stream.closed).length;
      if (open === 0) done();
      for (const stream of [child.stdout, child.stderr])
        stream?.once("close", () => {
          if (--open === 0) {
            clearTimeout(late);
            done();
          }
        });
    });
  });

  let closed = false;
  const close = async () => {
    if (closed) return exited.then(() => undefined);
    closed = true;
    process.removeListener("exit", kill);
    if (child.exitCode === null && child.signalCode === null) {
      if (child.connected) child.disconnect();
      const force = setTimeout(kill, 4000);
      await exited;
      clearTimeout(force);
    }
    kill(); // whatever is left of the process group (Prism, if its parent died first)
  };

  const deadline = Date.now() + startTimeoutMs;
  let earlyExit = false;
  exited.then(() => {
    earlyExit = true;
  });
  while (true) {
    if (earlyExit) {
      await close();
      throw new Error(
        `meeting-control mock: Prism exited before it answered.\n${output.join("\n")}`,
      );
    }
    if (Date.now() > deadline) {
      await close();
      throw new Error(
        `meeting-control mock: Prism did not answer within ${startTimeoutMs} ms.\n${output.join("\n")}`,
      );
    }
    // node:http without an agent (Connection: close), not fetch: a probe's keep-alive socket in
    // the global fetch pool could be closed by the server while idle, and the caller's first
    // request after this resolves would then meet a reset.
    const answered = await new Promise((resolve) => {
      const probe = get(`${url}/v1/mmc/control/conferences/token?conferenceID=9869478`, {
        agent: false,
        timeout: 1000,
      });
      probe.once("response", (r) => r.resume().once("end", () => resolve(true)));
      probe.once("timeout", () => probe.destroy());
      probe.once("error", () => resolve(false));
    });
    if (answered) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.unref();
  // The pipes must not keep this process alive either (they are sockets underneath).
  for (const stream of [child.stdout, child.stderr]) /** @type {any} */ (stream)?.unref?.();
  return { url, close, exited };
}

/**
 * Every named response example of the spec: how to trigger it from the mock.
 * @returns {{ operationId: string, method: string, path: string, status: number, example: string, prefer: string, summary: string, body: unknown }[]}
 */
export function scenarios() {
  const spec = JSON.parse(readFileSync(specPath.replace(/\.yaml$/, ".json"), "utf8"));
  /** @param {any} node */
  const deref = (node) => {
    let current = node;
    while (current?.$ref)
      current = current.$ref
        .slice(2)
        .split("/")
        .reduce((/** @type {any} */ o, /** @type {string} */ k) => o[k], spec);
    return current;
  };
  const list = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(/** @type {Record<string, any>} */ (item))) {
      for (const [status, ref] of Object.entries(
        /** @type {Record<string, any>} */ (op.responses),
      )) {
        const media = deref(ref).content?.["application/json"];
        for (const [example, exRef] of Object.entries(media?.examples ?? {})) {
          const ex = deref(exRef);
          list.push({
            operationId: op.operationId,
            method: method.toUpperCase(),
            path,
            status: Number(status),
            example,
            prefer: `code=${status}, example=${example}`,
            summary: ex.summary ?? "",
            body: ex.value,
          });
        }
      }
    }
  }
  return list;
}
