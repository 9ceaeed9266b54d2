// Chromium's run of the scenario: a page served over loopback imports the client's ESM build
// from the consumer project, through an import map, as a page without a bundler would.
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { launchChromium } from "@meeting-control/testkit";
import { HANG_MS } from "./launch.js";
import type { Results, ScenarioConfig } from "./scenario.js";

/** The page's files: URL path → file of the consumer project. */
async function files(consumer: string): Promise<Record<string, string>> {
  const modules = join(consumer, "node_modules");
  const openapiFetch = JSON.parse(
    await readFile(join(modules, "openapi-fetch/package.json"), "utf8"),
  ) as { exports: { ".": { import: string } } };
  return {
    "/page.mjs": join(consumer, "page.mjs"),
    "/scenario.js": join(consumer, "scenario.js"),
    "/client.js": join(modules, "@meeting-control/client/dist/index.js"),
    "/openapi-fetch.js": join(modules, "openapi-fetch", openapiFetch.exports["."].import),
  };
}

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>runtime matrix</title>
<script type="importmap">
{ "imports": { "@meeting-control/client": "/client.js", "openapi-fetch": "/openapi-fetch.js" } }
</script>
<script type="module" src="/page.mjs"></script>
`;

async function site(consumer: string) {
  const routes = await files(consumer);
  const server = createServer(async (request, response) => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    const file = routes[path];
    if (path === "/") response.writeHead(200, { "content-type": "text/html" }).end(PAGE);
    else if (!file) response.writeHead(404).end();
    else response.writeHead(200, { "content-type": "text/javascript" }).end(await readFile(file));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Rejects after `ms`, so that a hung page cannot keep the browser open. */
const within = <T>(promise: Promise<T>, ms: number, what: string) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      setTimeout(() => reject(new Error(`${what} did not finish`)), ms).unref();
    }),
  ]);

export async function runChromium(
  executablePath: string | undefined,
  consumer: string,
  config: ScenarioConfig,
): Promise<Results> {
  const page = await site(consumer);
  try {
    const browser = await launchChromium(executablePath);
    try {
      const tab = await browser.newPage();
      const errors: string[] = [];
      tab.on("pageerror", (error) => errors.push(error.message));
      await tab.goto(page.url);
      await tab
        .waitForFunction(() => "runScenario" in globalThis, undefined, { timeout: HANG_MS })
        .catch((error) => {
          throw new Error(`the page did not load the client: ${errors.join("; ") || error}`);
        });
      const run = tab.evaluate(
        (c) => (globalThis as unknown as { runScenario: (c: unknown) => Results }).runScenario(c),
        config,
      );
      return await within(run, HANG_MS, "the scenario in Chromium");
    } finally {
      await browser.close();
    }
  } finally {
    await page.close();
  }
}
