// What the runtime matrix talks to, all on loopback and in this process: the contract mock, one
// per case that counts requests (its request log is the journal), a host that redirects and the
// host it names, and a host that never answers.
import { startMockServer } from "@meeting-control/mock";
import { loopbackServer, type Recorded } from "../server.js";
import type { CaseName } from "./scenario.js";

/** One line of the mock's request log. */
export interface Logged {
  method: string;
  path: string;
  status: number;
  requestId: string;
}

// `PUT /v1/… → 200 (1.2 ms, X-Request-Id 5f…)`: the mock logs one such line per request.
const LINE = /^([A-Z]+) (\S+) → (\d+) \(.*X-Request-Id (\w+)\)$/;

async function journaledMock() {
  const journal: Logged[] = [];
  const mock = await startMockServer({
    port: 0,
    verbose: (line) => {
      const [, method = "", path = "", status, requestId = ""] = LINE.exec(line) ?? [];
      if (status) journal.push({ method, path, status: Number(status), requestId });
    },
  });
  return { url: mock.url, journal, close: () => mock.close() };
}

const CORS = { "access-control-allow-origin": "*" };

export type Servers = Awaited<ReturnType<typeof startServers>>;

export async function startServers() {
  const [operations, tokenFlow, apiError, badInput] = await Promise.all([
    journaledMock(),
    journaledMock(),
    journaledMock(),
    journaledMock(),
  ]);
  // Where a redirect points: it would take the token gladly.
  const named = await loopbackServer((_, response) => {
    response.writeHead(200, CORS).end("{}");
  });
  const redirecting = await loopbackServer((request, response) => {
    if (request.method === "OPTIONS") {
      // A browser's preflight: the redirect itself must reach the page.
      const headers = request.headers["access-control-request-headers"] ?? "*";
      response
        .writeHead(204, {
          ...CORS,
          "access-control-allow-methods": "GET, PUT",
          "access-control-allow-headers": headers,
        })
        .end();
      return;
    }
    const location = `${named.url}${request.url.pathname}${request.url.search}`;
    response.writeHead(307, { ...CORS, location }).end();
  });
  // Takes every request and never answers (a preflight neither).
  const silent = await loopbackServer(() => {});
  const mocks = { operations, tokenFlow, apiError, badInput };
  const urls: Record<CaseName, string> = {
    ...Object.fromEntries(Object.entries(mocks).map(([name, mock]) => [name, mock.url])),
    redirect: redirecting.url,
    timeout: `${silent.url}/timeout`,
    abort: `${silent.url}/abort`,
    // A host that is not loopback: the client must refuse http:// to it before any request.
    insecureHttp: "http://meeting.example.com",
  } as Record<CaseName, string>;

  const all = [...Object.values(mocks), named, redirecting, silent];
  return {
    urls,
    /** Each case's mock journal, OPTIONS preflights left out unless `preflights`. */
    journal: (name: keyof typeof mocks, preflights = false) =>
      mocks[name].journal.filter((line) => preflights || line.method !== "OPTIONS"),
    redirected: (): Recorded[] => redirecting.requests,
    named: (): Recorded[] => named.requests,
    namedUrl: named.url,
    /** Forgets every request, before the next runtime runs the scenario. */
    reset: () => {
      for (const mock of Object.values(mocks)) mock.journal.length = 0;
      for (const server of [named, redirecting, silent]) server.requests.length = 0;
    },
    close: () => Promise.all(all.map((server) => server.close())),
  };
}
