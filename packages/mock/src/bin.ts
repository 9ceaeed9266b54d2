#!/usr/bin/env node
// meeting-control-mock: the contract mock of the meeting-control API (Prism's engine on the
// bundled spec), in this one process.
import { readFileSync, writeFileSync } from "node:fs";
import * as module from "node:module";
import { parseArgs } from "node:util";
import pkg from "../package.json" with { type: "json" };
// Types only: erased, so index.js still loads after the compile cache is on.
import type { MeetingInput, ProxyingMockServer, SimulatingMockServer } from "./index.js";

// The process that started this one, read before anything loads: npm, killed while the mock
// starts, would otherwise be gone before it is looked at (see `orphanable` below).
const parent = process.ppid;

// Node 22.1+ keeps the compiled code of Prism's modules on disk between runs (in the OS's temp
// folder): a second start compiles nothing. Node 20 has no such cache and starts as before.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
const { DEFAULT_BODY_LIMIT, lineOf, scenarios, startMockServer, summaryOf } = await import(
  "./index.js"
);

const HELP = `Usage: meeting-control-mock [--port 4010] [--host 127.0.0.1] [--meetings meetings.json] [--dynamic] [--body-limit 65536] [--verbose]
       meeting-control-mock --proxy <https://… | region> [--forward-invalid] [--report report.json]

Serves Huawei Cloud Meeting's meeting-control API from its OpenAPI spec with Prism's engine:
requests are validated against the spec, answers come from the spec's examples, or, with
--meetings, from a simulator of those meetings (tokens, participants' state, a journal, a clock
and faults, with admin routes under /__mock: see the README).

Options:
  --port <n>          port to listen on (default 4010, or $PORT; 0 picks a free port)
  --host <host>       host to listen on (default 127.0.0.1, or $HOST)
  --meetings <file>   simulate the meetings in this JSON file: an array of
                      { conferenceID, hostPassword, started?, locked?, allowInviteOpenVideo?,
                        participants: [{ participantID, audioOnly? }] }
  --proxy <upstream>  forward valid requests to this https:// URL (or a region of the spec's
                      servers, e.g. cn-north-4) and report every answer that leaves the
                      contract: one line as it happens, a summary on Ctrl-C
  --forward-invalid   with --proxy: forward requests the spec refuses too (still reported)
  --report <file>     with --proxy: on Ctrl-C, write the report there as JSON (no credential)
  --dynamic           generate answers from the schemas instead of the examples
  --admin-origin <o>  with --meetings or --proxy: a page of this origin (e.g. http://web:3000)
                      may call the admin routes too; pages on loopback always may, and
                      requests without an Origin (curl, scripts) are always answered. Repeatable
  --admin-host <h>    with --meetings or --proxy: the admin routes answer requests to this host
                      name too (e.g. host.docker.internal; .ci.internal for every name under it;
                      * for any). Loopback, IP addresses and --host always are, and one-label
                      names (a container's, such as mock) with a --host beyond loopback. Repeatable
  --body-limit <n>    largest request body in bytes; larger ones get 413 (default ${DEFAULT_BODY_LIMIT})
  --verbose           log every request and Prism's messages to stderr (never a header)
  --version           print the version
  -h, --help          show this help

Exit status: 0 when stopped by SIGINT or SIGTERM; 2 for a bad option or --meetings file (nothing
is started); 1 when the mock cannot listen or stops on an error.
`;

const PREFIX = "meeting-control-mock: ";
/** The library's messages carry the prefix already; each line has it once. */
const said = (message: string) => PREFIX + message.replace(/^meeting-control-mock: /, "");
const fail = (message: string): never => {
  console.error(`${said(message)}\n\n${HELP}`);
  process.exit(2);
};

let args: {
  port?: string;
  host?: string;
  dynamic?: boolean;
  "body-limit"?: string;
  meetings?: string;
  proxy?: string;
  "forward-invalid"?: boolean;
  report?: string;
  "admin-origin"?: string[];
  "admin-host"?: string[];
  verbose?: boolean;
  version?: boolean;
  help?: boolean;
} = {};
try {
  args = parseArgs({
    options: {
      port: { type: "string" },
      host: { type: "string" },
      dynamic: { type: "boolean", default: false },
      "body-limit": { type: "string" },
      meetings: { type: "string" },
      proxy: { type: "string" },
      "forward-invalid": { type: "boolean", default: false },
      report: { type: "string" },
      "admin-origin": { type: "string", multiple: true },
      "admin-host": { type: "string", multiple: true },
      verbose: { type: "boolean", default: false },
      version: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  }).values;
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
if (args.help) {
  console.log(HELP);
  process.exit(0);
}
if (args.version) {
  console.log(pkg.version);
  process.exit(0);
}
const whole = (value: string | undefined, fallback: number) =>
  value === undefined ? fallback : /^\d+$/.test(value) ? Number(value) : Number.NaN;
const port = whole(args.port ?? process.env.PORT, 4010);
if (!Number.isInteger(port) || port > 65_535)
  fail(`--port must be a whole number from 0 to 65535; got ${args.port ?? process.env.PORT}`);
const bodyLimit = whole(args["body-limit"], DEFAULT_BODY_LIMIT);
if (!Number.isInteger(bodyLimit) || bodyLimit < 1)
  fail(`--body-limit must be a whole number of bytes, 1 or more; got ${args["body-limit"]}`);
if (args.proxy === undefined && (args.report !== undefined || args["forward-invalid"]))
  fail("--report and --forward-invalid go with --proxy");
for (const flag of ["admin-origin", "admin-host"] as const)
  if (args.proxy === undefined && args.meetings === undefined && args[flag])
    fail(`--${flag} goes with --meetings or --proxy: the contract mock has no admin routes`);
let meetings: MeetingInput[] | undefined;
if (args.meetings !== undefined) {
  try {
    // A byte order mark, as some editors save UTF-8, is no part of the JSON.
    const parsed = JSON.parse(readFileSync(args.meetings, "utf8").replace(/^\uFEFF/, ""));
    meetings = Array.isArray(parsed) ? parsed : parsed?.meetings;
  } catch (error) {
    // V8 quotes the text around an unexpected token, which may be a host password.
    const reason = String(error instanceof Error ? error.message : error).replace(
      /^Unexpected token .* is not valid JSON$/s,
      "Unexpected token: not valid JSON (the text around it is not shown: it may hold a password)",
    );
    fail(`--meetings ${args.meetings}: ${reason}`);
  }
  // Anything else would start the contract mock, as if --meetings had not been given.
  if (!Array.isArray(meetings))
    fail(
      `--meetings ${args.meetings}: expected a JSON array of meetings, or an object with a "meetings" array`,
    );
}

try {
  const proxy =
    args.proxy === undefined
      ? undefined
      : {
          proxy: args.proxy,
          forwardInvalid: args["forward-invalid"],
          onViolation: (entry: Parameters<typeof lineOf>[0]) => console.log(lineOf(entry)),
        };
  const server = await startMockServer({
    ...(proxy as { proxy: string }),
    meetings,
    port,
    host: args.host ?? process.env.HOST ?? "127.0.0.1",
    dynamic: args.dynamic,
    bodyLimit,
    adminOrigins: args["admin-origin"],
    adminHosts: args["admin-host"],
    verbose: args.verbose,
  });
  console.log(
    `Mock meeting-control API: ${server.url}  (Ctrl-C to stop)\n\n${"upstream" in server ? proxying(server as ProxyingMockServer) : "meeting" in server ? simulating(server as SimulatingMockServer) : contract()}`,
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    if ("upstream" in server) {
      const report = (server as ProxyingMockServer).report();
      console.log(summaryOf(report));
      try {
        if (args.report) writeFileSync(args.report, `${JSON.stringify(report, null, 2)}\n`);
      } catch (error) {
        console.error(said(`--report ${args.report}: ${(error as Error).message}`));
        process.exit(1);
      }
    }
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  // Under `npx meeting-control-mock` (or an npm script that is this command), `kill $!` signals
  // npm, whose shell then dies without passing the signal on: the mock would run on, an orphan
  // holding its port. It stops, as on SIGTERM, once that parent has gone. Not when the script is
  // more than the command (`meeting-control-mock &`, `… > log 2>&1 & sleep 2`): it started the
  // mock to outlive it.
  const orphanable = /^\s*(['"]?)meeting-control-mock\1(?:\s[^&;|<>()$`\n]*)?$/.test(
    process.env.npm_lifecycle_script ?? "",
  );
  // startMockServer() holds no reference on the event loop (a test that forgets close() must
  // still end), so the command holds one itself until it stops.
  const hold = setInterval(() => {
    if (!orphanable || stopping || process.ppid === parent) return;
    console.error(said("stopping: the package manager that started it has gone"));
    void stop();
  }, 500);
  // A server that stops on its own says why and fails, so a CI job never runs on without it.
  server.closed.then((error) => {
    if (stopping) return;
    clearInterval(hold);
    console.error(said(`the mock stopped: ${error?.message ?? "closed"}`));
    process.exit(1);
  });
} catch (error) {
  // startMockServer() refuses a bad option or meeting with a TypeError or RangeError of its own
  // before it listens: a usage error, as the checks above. Anything else (a TypeError of a bug
  // too) happened while starting.
  if (
    (error instanceof TypeError || error instanceof RangeError) &&
    error.message.startsWith(PREFIX)
  )
    fail(error.message);
  console.error(said(error instanceof Error ? error.message : String(error)));
  process.exit(1);
}

function contract() {
  const rows = scenarios().map((s) => [
    s.operationId,
    String(s.status),
    `Prefer: ${s.prefer}`,
    // The spec's summary of an error says what it means; the code is in its body.
    [s.summary, (s.body as { error_code?: string })?.error_code].filter(Boolean).join(": "),
  ]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]?.length ?? 0)));
  return `Send X-Conference-Authorization (any token, raw or Basic base64) on the control operations,
or get 401.
Without a Prefer header each operation answers 200. Scenarios:
${rows.map((r) => `  ${r.map((c, i) => (i < 3 ? c.padEnd(widths[i] ?? 0) : c)).join("  ")}`).join("\n")}
`;
}

/** The simulated meetings, without their passwords. */
function simulating(server: SimulatingMockServer) {
  const lines = server.meetings().map((m) => {
    const flags = [
      !m.started && "not started",
      m.locked && "locked",
      !m.allowInviteOpenVideo && "no invitations to open video",
    ];
    const people = m.participants.map(
      (p) => `${p.participantID}${p.audioOnly ? " (audio only)" : ""}`,
    );
    return `  ${m.conferenceID}${flags.some(Boolean) ? ` [${flags.filter(Boolean).join(", ")}]` : ""}: ${people.join(", ") || "no participants"}`;
  });
  return `Simulating ${lines.length} meeting(s) from ${args.meetings}: get a token with CreateConfToken and the
meeting's host password. Journal, state, clock and faults: ${server.adminUrl} (see the README).
Meetings:
${lines.join("\n")}
`;
}

function proxying(server: ProxyingMockServer) {
  return `Proxying to ${server.upstream}: valid requests are forwarded as they are, credentials included; invalid
ones get the service's 400 and are not forwarded${args["forward-invalid"] ? " (--forward-invalid: they are)" : ""}. Each answer that leaves
the contract is printed below; Ctrl-C prints a summary. Report: ${server.adminUrl}/violations
Answers:
`;
}
