// The mock's process: Prism on an internal port, behind a small front server on the public port.
// Its life is tied to the parent's: when the IPC channel to the parent closes (the parent exited,
// crashed, or was killed, even with SIGKILL), Prism is stopped and this process exits.
//
// The front server forwards everything to Prism, except one thing Prism answers off-contract: a
// body labelled JSON that does not parse gets Prism's own `{"error":{…}}` without X-Request-Id. The
// front answers it as the service documents a bad parameter instead (RestFailedRsp, 400).
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { Agent, createServer, request as forward } from "node:http";
import { createRequire } from "node:module";
import { createServer as createNetServer } from "node:net";
import { dirname, join } from "node:path";

// Watch the parent before anything else: a parent that dies while Prism is still starting must
// not leave this process (and the Prism it is about to start) behind. `stop` is hoisted; it copes
// with a Prism or a front server that does not exist yet.
let stopping = false;
/** @type {import("node:child_process").ChildProcess | undefined} */
let prism;
/** @type {import("node:http").Server | undefined} */
let front;
/** @type {import("node:http").Agent | undefined} */
let agent;
process.on("disconnect", () => stop());
process.on("SIGTERM", () => stop());
process.on("SIGINT", () => stop());
if (process.send && !process.connected) stop(); // the parent left before this line ran

const require = createRequire(import.meta.url);
const cliDir = dirname(require.resolve("@stoplight/prism-cli/package.json"));
const prismBin = join(cliDir, require("@stoplight/prism-cli/package.json").bin.prism);

const [specPath = "", port = "4010", host = "127.0.0.1", dynamic = ""] = process.argv.slice(2);
const spec = JSON.parse(readFileSync(specPath.replace(/\.yaml$/, ".json"), "utf8"));
const badParameter = JSON.stringify(spec.components.examples.InvalidParameter.value);
const requestId = spec.components.headers.XRequestId.example;

/** @returns {Promise<number>} */
const freePort = () =>
  new Promise((resolve, reject) => {
    const probe = createNetServer().once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });

const internal = await freePort();
if (stopping) process.exit(0);
prism = spawn(
  process.execPath,
  [
    prismBin,
    "mock",
    specPath,
    "--port",
    String(internal),
    "--host",
    "127.0.0.1",
    ...(dynamic ? ["--dynamic"] : []),
  ],
  { stdio: ["ignore", "inherit", "inherit"] },
);

agent = new Agent({ keepAlive: true, maxSockets: 64 });
front = createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const body = Buffer.concat(chunks);
  if (/\bjson\b/i.test(req.headers["content-type"] ?? "") && body.length > 0) {
    try {
      JSON.parse(body.toString("utf8"));
    } catch {
      res.writeHead(400, {
        "content-type": "application/json",
        "x-request-id": requestId,
        "access-control-allow-origin": "*",
        "access-control-expose-headers": "*",
      });
      res.end(badParameter);
      return;
    }
  }
  const upstream = forward(
    {
      host: "127.0.0.1",
      port: internal,
      method: req.method,
      path: req.url,
      headers: req.headers,
      agent,
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on("error", (error) => {
    res
      .writeHead(502, { "content-type": "text/plain" })
      .end(`mock: Prism did not answer: ${error.message}\n`);
  });
  upstream.end(body);
});
front.once("error", (error) => {
  console.error(`meeting-control mock: cannot listen on ${host}:${port}: ${error.message}`);
  stop(1);
});
// Open the public port only once Prism answers, so a client never meets a half-started mock.
while (!stopping) {
  const ready = await fetch(
    `http://127.0.0.1:${internal}/v1/mmc/control/conferences/token?conferenceID=9869478`,
    {
      signal: AbortSignal.timeout(1000),
    },
  ).then(
    (r) => r.arrayBuffer().then(() => true),
    () => false,
  );
  if (ready) break;
  await new Promise((r) => setTimeout(r, 100));
}
if (!stopping) front.listen(Number(port), host);

/** @param {number} [code] */
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  front?.close();
  front?.closeAllConnections?.();
  agent?.destroy();
  const child = prism;
  if (!child || child.exitCode !== null || child.signalCode !== null) process.exit(code);
  // Prism leaves on SIGINT; it can linger on SIGTERM while connections are open.
  child.kill("SIGINT");
  const force = setTimeout(() => child.kill("SIGKILL"), 2000);
  child.once("exit", () => {
    clearTimeout(force);
    process.exit(code);
  });
}

prism.once("exit", (code, signal) => {
  if (!stopping) {
    console.error(`meeting-control mock: Prism exited (${signal ?? code})`);
    stopping = true;
    front?.close();
    process.exit(code || 1);
  }
});
process.on("uncaughtException", (error) => {
  console.error(error);
  prism?.kill("SIGKILL");
  process.exit(1);
});
