// How each runtime runs the scenario in the consumer project (packed.ts): a process that prints
// its results (Node, Bun, Deno), or a workerd server that answers them. Whatever happens, every
// process started here is stopped before the run's promise settles.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { copyFile, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { workerdCompatibilityDate } from "@meeting-control/testkit";
import { build, stop as stopEsbuild, transform } from "esbuild";
import type { Results, ScenarioConfig } from "./scenario.js";

/** Only stops a runtime that hangs: a loaded 2-core machine takes seconds, not minutes. */
export const HANG_MS = 120_000;

const ENTRIES = ["node.mjs", "deno.mjs", "worker.mjs", "page.mjs"];

/** Writes the scenario, as JavaScript, and each runtime's entry into the consumer project. */
export async function prepare(consumer: string) {
  const source = await readFile(new URL("./scenario.ts", import.meta.url), "utf8");
  const { code } = await transform(source, { loader: "ts", format: "esm", target: "es2022" });
  await writeFile(join(consumer, "scenario.js"), code);
  for (const entry of ENTRIES)
    await copyFile(new URL(`./entry/${entry}`, import.meta.url), join(consumer, entry));
  // The Worker, bundled as wrangler bundles one: esbuild, with the workerd, worker and browser
  // conditions, from the project's node_modules.
  await build({
    entryPoints: [join(consumer, "worker.mjs")],
    outfile: join(consumer, "worker.bundle.js"),
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    logLevel: "silent",
  });
  await stopEsbuild(); // its service process would otherwise live as long as this one
}

/** Runs an entry to completion and parses the one JSON line it prints. */
function runEntry(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  return new Promise<Results>((resolve, reject) => {
    const options = { cwd, env, timeout: HANG_MS, killSignal: "SIGKILL" as const };
    execFile(file, args, options, (error, stdout, stderr) => {
      try {
        if (error) throw error;
        resolve(JSON.parse(stdout.trim().split("\n").at(-1) ?? ""));
      } catch (cause) {
        reject(new Error(`${file} ${args.join(" ")} failed: ${cause}\n${stdout}${stderr}`));
      }
    });
  });
}

// Nothing of this machine's environment but PATH: no NODE_OPTIONS from vitest, no npm settings.
const baseEnv = (consumer: string) => ({ PATH: process.env.PATH, HOME: consumer, NO_COLOR: "1" });

export const runNode = (node: string, consumer: string, config: ScenarioConfig) =>
  runEntry(node, ["node.mjs", JSON.stringify(config)], consumer, baseEnv(consumer));

export const runBun = (bun: string, consumer: string, config: ScenarioConfig) =>
  runEntry(bun, ["--no-install", "node.mjs", JSON.stringify(config)], consumer, {
    ...baseEnv(consumer),
    BUN_INSTALL_CACHE_DIR: join(consumer, ".bun"),
  });

export const runDeno = (deno: string, consumer: string, config: ScenarioConfig) =>
  runEntry(
    deno,
    [
      "run",
      "--cached-only",
      "--no-prompt",
      "--allow-net=127.0.0.1",
      "deno.mjs",
      JSON.stringify(config),
    ],
    consumer,
    { ...baseEnv(consumer), DENO_DIR: join(consumer, ".deno"), DENO_NO_UPDATE_CHECK: "1" },
  );

// The default outbound network reaches public addresses only; the servers are on loopback.
const capnp = (date: string) => `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = (
      modules = [(name = "worker.js", esModule = embed "worker.bundle.js")],
      compatibilityDate = "${date}",
    )),
    (name = "internet", network = (allow = ["local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);
`;

/** Starts workerd on the bundled Worker, POSTs the config to it, and stops it. */
export async function runWorkerd(workerd: string, consumer: string, config: ScenarioConfig) {
  await writeFile(join(consumer, "workerd.capnp"), capnp(workerdCompatibilityDate()));
  // fd 3 carries workerd's control messages: the port each socket listens on.
  const child = spawn(workerd, ["serve", "workerd.capnp", "--verbose", "--control-fd=3"], {
    cwd: consumer,
    env: baseEnv(consumer),
    stdio: ["ignore", "pipe", "pipe", "pipe"],
  });
  let output = "";
  for (const stream of [child.stdout, child.stderr]) stream?.on("data", (c) => (output += c));
  try {
    const port = await listening(child, () => output);
    const response = await fetch(`http://127.0.0.1:${port}/`, {
      method: "POST",
      body: JSON.stringify(config),
      signal: AbortSignal.timeout(HANG_MS),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`workerd answered ${response.status}: ${text}\n${output}`);
    return JSON.parse(text) as Results;
  } finally {
    await stop(child);
  }
}

function listening(child: ChildProcess, output: () => string) {
  return new Promise<number>((resolve, reject) => {
    (child.stdio[3] as Readable).on("data", (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n").filter(Boolean)) {
        const message = JSON.parse(line) as { event?: string; port?: number };
        if (message.event === "listen" && message.port) resolve(message.port);
      }
    });
    child.once("error", reject);
    child.once("exit", (code) =>
      reject(new Error(`workerd exited (${code}) before it listened:\n${output()}`)),
    );
  });
}

/** Stops a child process: SIGTERM, then SIGKILL if it is still there 5 s later. */
export async function stop(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const kill = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(kill);
}
