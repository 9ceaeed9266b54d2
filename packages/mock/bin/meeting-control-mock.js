#!/usr/bin/env node
// meeting-control-mock: the contract mock of the meeting-control API (Prism on the bundled spec).
import { parseArgs } from "node:util";
import { scenarios, startMockServer } from "../src/index.js";

const HELP = `Usage: meeting-control-mock [--port 4010] [--host 127.0.0.1] [--dynamic]

Serves Huawei Cloud Meeting's meeting-control API from its OpenAPI spec with Prism: requests are
validated against the spec, answers come from the spec's examples.

Options:
  --port <n>     port to listen on (default 4010, or $PORT; 0 picks a free port)
  --host <host>  host to listen on (default 127.0.0.1, or $HOST)
  --dynamic      generate answers from the schemas instead of the examples
  -h, --help     show this help
`;

let args;
try {
  args = parseArgs({
    options: {
      port: { type: "string" },
      host: { type: "string" },
      dynamic: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  }).values;
} catch (error) {
  console.error(
    `meeting-control-mock: ${error instanceof Error ? error.message : error}\n\n${HELP}`,
  );
  process.exit(2);
}
if (args.help) {
  console.log(HELP);
  process.exit(0);
}
const port = Number(args.port ?? process.env.PORT ?? 4010);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(
    `meeting-control-mock: --port must be a whole number from 0 to 65535; got ${args.port}`,
  );
  process.exit(2);
}

try {
  const server = await startMockServer({
    port,
    host: args.host ?? process.env.HOST ?? "127.0.0.1",
    dynamic: args.dynamic,
  });
  const rows = scenarios().map((s) => [
    s.operationId,
    String(s.status),
    `Prefer: ${s.prefer}`,
    s.summary,
  ]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]?.length ?? 0)));
  console.log(`Mock meeting-control API: ${server.url}  (Ctrl-C to stop)

Send X-Conference-Authorization (any value) on the control operations, or get 401.
Without a Prefer header each operation answers 200. Scenarios:
${rows.map((r) => `  ${r.map((c, i) => (i < 3 ? c.padEnd(widths[i] ?? 0) : c)).join("  ")}`).join("\n")}
`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  // startMockServer() holds no reference on the event loop (a test that forgets close() must
  // still end), so the command holds one itself until it stops; without it, the process would
  // end with code 0 the moment the mock's process is gone, before hearing why.
  setInterval(() => {}, 2 ** 30);
  // A mock that dies on its own says so and fails, so a CI job never runs on without it.
  server.exited.then(({ code, signal, output }) => {
    if (stopping) return;
    console.error(
      `meeting-control-mock: the mock stopped (${signal ?? `exit code ${code}`})\n${output.slice(-5).join("\n")}`,
    );
    process.exit(1);
  });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
