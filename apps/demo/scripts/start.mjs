// `pnpm start`: the mock simulating a sample meeting, the rendered API docs and the demo console
// driving that meeting, on loopback.
// Ports: MOCK_PORT (4010), DOCS_PORT (4000), DEMO_PORT (5173); 0 picks a free one. HOST: 127.0.0.1;
// 0.0.0.0 (or ::) listens on every address, and the demo works when opened at any of them.
// Ctrl-C (SIGINT) or SIGTERM stops all three. All three are served from this one process; if the
// mock cannot start, or its server stops on an error, this says so on stderr, stops the other two
// and exits 1.
import { fileURLToPath } from "node:url";
import { startMockServer } from "@meeting-control/mock";
import { serveStatic } from "@meeting-control/testkit/serve";
import { browserHosts, demoSearch, meetingLines, originAt, SAMPLE_MEETINGS } from "./simulated.mjs";

const host = process.env.HOST ?? "127.0.0.1";
/** @param {string} name @param {number} fallback */
function port(name, fallback) {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    console.error(`${name} must be a port number from 0 to 65535; got ${process.env[name]}`);
    process.exit(2);
  }
  return value;
}

/** @type {{ close(): Promise<void> }[]} */
const running = [];
let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  await Promise.allSettled(running.map((server) => server.close()));
  process.exit(code);
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));

try {
  // The docs' built page, found through that package's exports (its build runs before `start`).
  const docsRoot = fileURLToPath(
    new URL(".", import.meta.resolve("@meeting-control/docs/index.html")),
  );
  const docs = await serveStatic(docsRoot, { port: port("DOCS_PORT", 4000), host });
  running.push(docs);
  const demoRoot = fileURLToPath(new URL("../dist/", import.meta.url));
  const demo = await serveStatic(demoRoot, { port: port("DEMO_PORT", 5173), host });
  running.push(demo);
  const hosts = browserHosts(host);
  const portOf = (/** @type {string} */ url) => Number(new URL(url).port);
  const demoAt = hosts.map((name) => originAt(name, portOf(demo.url)));
  const mock = await startMockServer({
    port: port("MOCK_PORT", 4010),
    host,
    meetings: SAMPLE_MEETINGS,
    // The demo reads the simulator's admin routes; they answer pages on loopback only, and the
    // demo's own origins whatever HOST is (each address of the machine for 0.0.0.0).
    adminOrigins: demoAt,
  });
  running.push(mock);
  // The mock serves from this process: only an error that stops its server can end it early.
  mock.closed.then((error) => {
    if (stopping) return;
    console.error(
      `pnpm start: the mock (${mock.url}) stopped (${error?.message ?? "closed"}); stopping the docs and the demo.`,
    );
    stop(1);
  });
  const [meeting] = SAMPLE_MEETINGS;
  if (!meeting) throw new Error("sample-meetings.json has no meeting");
  // Each name the three are reached by: the first on this machine, the rest from elsewhere.
  const at = hosts.map((name, i) => {
    const mockUrl = originAt(name, portOf(mock.url));
    const simulator = { url: mockUrl, adminUrl: mockUrl + new URL(mock.adminUrl).pathname };
    return {
      demo: `${demoAt[i]}/${demoSearch(simulator, meeting)}`,
      docs: `${originAt(name, portOf(docs.url))}/`,
      ...simulator,
    };
  });
  const [here, ...elsewhere] = at;
  if (!here) throw new Error(`HOST ${host} has no address`);
  const others = elsewhere.map((them) => `\n  ${them.demo}`).join("");
  console.log(`
meeting-control is running:

  Demo console  ${here.demo}
  API docs      ${here.docs}
  Mock API      ${here.url}  (simulating the meeting below)
${others && `\nHOST ${host} takes every address; the demo console from another machine:${others}\n`}
The simulated meeting (apps/demo/scripts/sample-meetings.json):
${meetingLines(meeting)}

Try the mock: curl -i "${here.url}/v1/mmc/control/conferences/token?conferenceID=${meeting.conferenceID}" -H "X-Password: ${meeting.hostPassword}" -H "X-Login-Type: 1"
Its state:    curl -s "${here.adminUrl}/meetings/${meeting.conferenceID}"
Its journal:  curl -s "${here.adminUrl}/requests"
Ctrl-C stops everything. Ports: MOCK_PORT, DOCS_PORT, DEMO_PORT; host: HOST.
`);
} catch (error) {
  console.error(`pnpm start: ${error instanceof Error ? error.message : error}`);
  await stop(1);
}
