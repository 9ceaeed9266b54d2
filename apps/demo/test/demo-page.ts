// Shared by the demo's browser tests: the built demo served from dist/, opened in Debian's
// Chromium against a mock, with every request that leaves the page recorded.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { browserSupport, launchChromium } from "@meeting-control/testkit";
import { serveStatic } from "@meeting-control/testkit/serve";
import type { Browser, Page, Request } from "playwright-core";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));
const artifacts = fileURLToPath(new URL("../test-results/", import.meta.url));
export const support = browserSupport("demo browser test");

export type Demo = Awaited<ReturnType<typeof openDemo>>;

/** Opens the demo at `search` (a query string or fragment) for a mock at `mockUrl`. */
export async function openDemo(mockUrl: string, search: string) {
  // The pipeline runs `build` before `test`: a missing build is an error, not a skip.
  if (!existsSync(join(dist, "index.html"))) {
    throw new Error(
      `${join(dist, "index.html")} is missing: build the demo first (\`vite build\` in apps/demo, or \`pnpm build\`).`,
    );
  }
  mkdirSync(artifacts, { recursive: true });
  let site: Awaited<ReturnType<typeof serveStatic>> | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    // Close everything, whatever failed; then report what could not be closed.
    const closed = await Promise.allSettled([browser?.close(), site?.close()]);
    const failures = closed.flatMap((c) => (c.status === "rejected" ? [c.reason] : []));
    if (failures.length) throw new AggregateError(failures, "could not close everything");
  };
  // Every request that leaves the page for the mock, as Playwright sees it: nothing is mocked.
  const toMock: Request[] = [];
  // Every request that leaves the page for anywhere but the demo's own server.
  const leaving: Request[] = [];
  const pageErrors: string[] = [];
  let page: Page;
  const mockOrigin = new URL(mockUrl).origin;
  // Until the page shows its heading, a failure closes what was opened: the caller gets no
  // handle to close it with.
  try {
    const served = await serveStatic(dist);
    site = served;
    browser = await launchChromium(support.executablePath);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // Playwright's own 30 s limit on each wait, raised like vitest's: it only stops a hang.
    page.setDefaultTimeout(90_000);
    const siteOrigin = new URL(served.url).origin;
    page.on("request", (request) => {
      const origin = new URL(request.url()).origin;
      if (origin === mockOrigin) toMock.push(request);
      if (origin !== siteOrigin) leaving.push(request);
    });
    page.on("pageerror", (error) => pageErrors.push(String(error)));
    await page.goto(`${served.url}${search}`);
    await page.getByRole("heading", { level: 1, name: "Meeting control demo console" }).waitFor();
  } catch (error) {
    await close();
    throw error;
  }
  const pageRef = page;
  return {
    page,
    mockOrigin,
    toMock,
    leaving,
    pageErrors,
    close,
    /** The result area's text as rendered: what a user sees (innerText, not the DOM's). */
    // biome-ignore lint/performance/useDomNodeTextContent: a Playwright locator, not a DOM node
    shown: () => pageRef.getByRole("status").innerText(),
    button: (label: string) => pageRef.getByRole("button", { name: label, exact: true }),
    field: (label: string) => pageRef.getByLabel(label, { exact: true }),
    async shot(name: string) {
      await pageRef.mouse.move(0, 0); // no hover colour on the button just clicked
      await pageRef.screenshot({ path: join(artifacts, `demo-${name}.png`), fullPage: true });
    },
  };
}
