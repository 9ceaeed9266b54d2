// Chromium's run of the scenario: a page served over loopback imports the client's ESM build
// from the consumer project, through an import map, as a page without a bundler would.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { launchChromium } from "@meeting-control/testkit";
import { serveStatic } from "@meeting-control/testkit/serve";
import { HANG_MS } from "./launch.js";
import type { Results, ScenarioConfig } from "./scenario.js";

/** The page, index.html: its import map points at the installed packages' ESM entries. */
async function writePage(consumer: string) {
  const manifest = join(consumer, "node_modules/openapi-fetch/package.json");
  const { exports } = JSON.parse(await readFile(manifest, "utf8"));
  const imports = {
    "@meeting-control/client": "/node_modules/@meeting-control/client/dist/index.js",
    "openapi-fetch": join("/node_modules/openapi-fetch", exports["."].import),
  };
  await writeFile(
    join(consumer, "index.html"),
    `<!doctype html>
<meta charset="utf-8">
<title>runtime matrix</title>
<script type="importmap">${JSON.stringify({ imports })}</script>
<script type="module" src="/page.mjs"></script>
`,
  );
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
  await writePage(consumer);
  // The consumer project over loopback, as a web server would serve an application's files.
  const served = await serveStatic(consumer);
  try {
    const browser = await launchChromium(executablePath);
    try {
      const tab = await browser.newPage();
      const errors: string[] = [];
      tab.on("pageerror", (error) => errors.push(error.message));
      await tab.goto(served.url, { timeout: HANG_MS });
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
    await served.close();
  }
}
