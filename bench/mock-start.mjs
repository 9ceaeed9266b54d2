// §4's and §7's servers: our mock in contract mode, our mock simulating the meeting the load
// generator names, our mock proxying to another, and raw `prism mock`, each a child process,
// timed from spawn to the first 200.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { LOAD_IDS, sendValid } from "@meeting-control/testkit/load";
import { spawnTracked, stop } from "./children.mjs";
import { binOf, freePort } from "./packages.mjs";

export const POLL_MS = 10;
const START_TIMEOUT_MS = 60_000;

/** @param {string} specifier */
const resolvePath = (specifier) => fileURLToPath(import.meta.resolve(specifier));

const spec = resolvePath("@meeting-control/spec/openapi.yaml");
const mockBin = binOf("@meeting-control/mock", "meeting-control-mock");
const prismBin = binOf("@stoplight/prism-cli", "prism");
const READY = /Mock meeting-control API: (http:\/\/\S+)/;
// Prism's CLI forks its server into a second process when NODE_ENV=production; its default
// otherwise is one process, which is what both sides get.
const env = { ...process.env };
delete env.NODE_ENV;

/** The meeting the simulating mock runs: the one every request of the load names. */
const HOST_PASSWORD = "bench-host-password";
const meetingsDir = mkdtempSync(join(tmpdir(), "bench-meetings-"));
const meetingsFile = join(meetingsDir, "meetings.json");
writeFileSync(
  meetingsFile,
  JSON.stringify([
    {
      conferenceID: LOAD_IDS.conferenceID,
      hostPassword: HOST_PASSWORD,
      participants: [{ participantID: LOAD_IDS.participantID }],
    },
  ]),
);
process.on("exit", () => rmSync(meetingsDir, { recursive: true, force: true }));

/** @typedef {"ours" | "simulate" | "proxy" | "prism"} Side */
/** @typedef {{ side: Side, child: import("node:child_process").ChildProcess, url: string, first200Ms: number, output: string[], authorization?: string }} Started */

/** A token of the simulated meeting, from its CreateConfToken. @param {string} url */
async function tokenOf(url) {
  const response = await fetch(
    `${url}/v1/mmc/control/conferences/token?conferenceID=${LOAD_IDS.conferenceID}`,
    { headers: { "X-Password": HOST_PASSWORD, "X-Login-Type": "1" } },
  );
  const body = await response.json();
  if (!response.ok) throw new Error(`CreateConfToken answered ${response.status}`);
  return /** @type {string} */ (body.data.token);
}

/**
 * Spawns one side and times it until a valid PUT answers 200, polling every POLL_MS with a fresh
 * connection. Ours is found at the URL it prints (simulating, it is asked for a token first;
 * proxying, it forwards to `upstream`); Prism on a free port chosen beforehand.
 * @param {Side} side @param {string} [upstream] @returns {Promise<Started>}
 */
export async function start(side, upstream = "") {
  const port = side === "prism" ? await freePort() : 0;
  const mode = { simulate: ["--meetings", meetingsFile], proxy: ["--proxy", upstream] };
  const args =
    side === "prism"
      ? [prismBin, "mock", spec, "--port", String(port), "--host", "127.0.0.1"]
      : [mockBin, "--port", "0", ...(side === "ours" ? [] : mode[side])];
  const started = performance.now();
  // Prism logs every request to stdout: to /dev/null, so reading it costs this process nothing.
  const child = spawnTracked(process.execPath, args, {
    detached: true,
    env,
    stdio: ["ignore", side === "prism" ? "ignore" : "pipe", "pipe"],
  });
  /** @type {string[]} */
  const output = [];
  /** @type {(url: string) => void} */
  let announce = () => {};
  /** @type {Promise<string>} */
  const announced =
    side === "prism"
      ? Promise.resolve(`http://127.0.0.1:${port}`)
      : new Promise((resolve) => {
          announce = resolve;
        });
  let printed = ""; // stdout until the URL line
  let found = false;
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding("utf8");
    stream?.on("data", (/** @type {string} */ chunk) => {
      output.push(...chunk.split("\n").filter(Boolean));
      output.splice(0, Math.max(0, output.length - 20));
      if (stream !== child.stdout || found) return;
      printed += chunk;
      const url = READY.exec(printed)?.[1];
      if (url) {
        found = true;
        announce(url);
      }
    });
  }
  /** @type {string | null} */
  let gone = null;
  child.once("exit", (code, signal) => {
    gone = signal ?? `exit code ${code}`;
  });
  const fail = async (/** @type {string} */ why) => {
    await stop(child);
    throw new Error(`${side}: ${why}\n${output.join("\n")}`);
  };
  const deadline = started + START_TIMEOUT_MS;
  /** @type {string | undefined} */
  let url;
  while (url === undefined) {
    if (gone) return fail(`exited before it answered (${gone})`);
    if (performance.now() > deadline) return fail(`printed no URL in ${START_TIMEOUT_MS} ms`);
    url = await Promise.race([announced, new Promise((r) => setTimeout(r, POLL_MS))]);
  }
  const authorization = side === "simulate" ? await tokenOf(url) : undefined;
  for (let i = 0; ; i++) {
    const options = { agent: /** @type {false} */ (false), timeoutMs: 5000, authorization };
    if ((await sendValid(url, i, options)) === 200) break;
    if (gone) return fail(`exited before it answered (${gone})`);
    if (performance.now() > deadline) return fail(`no 200 in ${START_TIMEOUT_MS} ms`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  return { side, child, url, first200Ms: performance.now() - started, output, authorization };
}
