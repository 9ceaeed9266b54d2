import { mkdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { browserSupport, launchChromium } from "@meeting-control/testkit";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { badge, codeBlockFit, recordProblems, tableWords } from "./page-checks.js";
import { operation, operations, sentences, serverUrls } from "./spec.js";

const indexHtml = fileURLToPath(new URL("../dist/index.html", import.meta.url));
const artifacts = fileURLToPath(new URL("../test-results/", import.meta.url));
const support = browserSupport("docs browser test");
// A common laptop width: the width at which readers found words cut and code clipped.
const WIDTH = 1280;

// The field whose meaning (its description's first sentences) each operation's page must show,
// and the call its first sample makes.
const OPERATIONS = [
  {
    operationId: "InviteOperateVideo",
    described: { schema: "RestVideoBody", field: "status", count: 1 },
    sample: "client.inviteCamera({",
  },
  {
    operationId: "InviteShare",
    described: { schema: "InviteShareDTO", field: "share", count: 1 },
    sample: "client.inviteScreenShare({",
  },
  {
    operationId: "CreateConfToken",
    described: { schema: "TokenInfo", field: "token", count: 2 },
    sample: "client.createConfToken({",
  },
].map(({ described: { schema, field, count }, ...op }) => {
  // Its parameters, the meaning of the field, the summary and the tag, as the spec has them.
  const { summary, tags, parameters } = operation(op.operationId);
  return {
    ...op,
    parameters,
    meaning: sentences(schema, field, count),
    summary,
    tag: tags[0] ?? "",
  };
});

describe.skipIf(support.skip)(
  "the rendered docs, opened from the file with the network off",
  () => {
    let browser: Browser;
    let page: Page;
    const outbound: string[] = [];
    let problems: string[] = [];

    beforeAll(async () => {
      browser = await launchChromium(support.executablePath);
      const context = await browser.newContext({
        offline: true,
        viewport: { width: WIDTH, height: 900 },
      });
      problems = await recordProblems(context);
      // Anything that reaches the network layer is recorded and refused.
      await context.route("**/*", (route) => {
        const url = route.request().url();
        if (/^(file|data|blob):/.test(url)) return route.continue();
        outbound.push(url);
        return route.abort();
      });
      page = await context.newPage();
      // Playwright's own 30 s limit on each wait, raised like vitest's: it only stops a hang.
      page.setDefaultTimeout(90_000);
      await page.goto(pathToFileURL(indexHtml).href);
      await page.getByText("The token flow").first().waitFor();
    });

    afterAll(async () => {
      await browser?.close();
    });

    // Checked after each test, so the one that caused it fails, whichever tests ran; the first
    // test also answers for the page's loading.
    afterEach(() => {
      expect(outbound.splice(0), "contacted over the network").toEqual([]);
      expect(
        problems.splice(0),
        "logged an error or warning, broke a CSP rule or had a request fail",
      ).toEqual([]);
    });

    /** Opens the operation's page from the sidebar ("<summary><method>"; its group may be shut). */
    async function open(op: (typeof OPERATIONS)[number]): Promise<void> {
      const link = page.getByRole("link", {
        name: new RegExp(`^${op.summary}\\s*(get|put)$`, "i"),
      });
      if (!(await link.isVisible()))
        await page.getByRole("link", { name: op.tag, exact: true }).click();
      await link.click();
      const title = page.getByRole("heading", { name: op.summary });
      await expect.poll(() => title.isVisible(), { message: `heading ${op.summary}` }).toBe(true);
    }

    it(`shows the token flow and both servers on the first screen, ${WIDTH} px wide`, async () => {
      expect(serverUrls.length).toBeGreaterThanOrEqual(2);
      for (const text of ["The token flow", ...serverUrls]) {
        await expect
          .poll(() => page.getByText(text).first().isVisible(), { message: text })
          .toBe(true);
      }
      mkdirSync(artifacts, { recursive: true });
      await page.screenshot({ path: `${artifacts}docs-overview.png` });
    });

    it("keeps every word of the polarity table on one line, operation names included", async () => {
      const { words, broken } = await tableWords(page);
      for (const op of operations.filter((o) => o.firstExample))
        expect(words, "the table names each control operation").toContain(op.operationId);
      expect(broken, "words cut by a line break").toEqual([]);
      await page.locator("table").first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${artifacts}docs-polarity-table.png` });
    });

    it("shows Redocly's logo in the sidebar's badge, not an empty badge", async () => {
      await expect
        .poll(() => badge(page), { message: "the badge at the foot of the sidebar" })
        .toEqual({ text: "API docs by", logoDrawn: true });
    });

    it.each(OPERATIONS)(
      "$summary: reachable from the sidebar, with its parameters, their meaning and a code sample",
      async (op) => {
        await open(op);
        // This operation's own section: another's has the same parameters, names alike.
        const section = page
          .locator("[data-section-id]")
          .filter({ has: page.getByRole("heading", { name: op.summary }) });
        for (const name of op.parameters) {
          const param = section.getByText(name, { exact: true }).first();
          await expect.poll(() => param.isVisible(), { message: `parameter ${name}` }).toBe(true);
        }
        // The TypeScript code sample (x-codeSamples) is the one shown first.
        const sample = section
          .locator("pre")
          .filter({ hasText: op.sample })
          .filter({ hasText: "createMeetingControlClient" })
          .first();
        await expect
          .poll(() => sample.isVisible(), { message: `code sample ${op.sample}` })
          .toBe(true);

        const meaning = section.getByText(op.meaning).first();
        await expect.poll(() => meaning.count(), { message: op.meaning }).toBeGreaterThan(0);
        await meaning.scrollIntoViewIfNeeded();
        await expect.poll(() => meaning.isVisible(), { message: op.meaning }).toBe(true);
        await page.screenshot({
          path: `${artifacts}docs-${op.summary.split(" ").slice(0, 6).join("-")}.png`,
        });
      },
    );

    it.each(OPERATIONS)(
      `$operationId: the request panel opens on the example its samples send, and each tab reads in full at ${WIDTH} px`,
      async (op) => {
        const { samples, firstExample } = operation(op.operationId);
        await open(op);
        // Pages opened before stay in the document: the panel is the one of this operation's page.
        const panel = page
          .locator("[data-section-id]")
          .filter({ has: page.getByRole("heading", { name: op.summary }) })
          .locator(".panel-request-samples");
        if (firstExample) {
          const chosen = panel.getByRole("button", { name: "Example", exact: true });
          await expect
            .poll(() => chosen.textContent(), { message: "the example chosen at first" })
            .toBe(firstExample.summary);
        }
        // The language menu: the spec's samples, then the payload of the chosen example. The
        // language last chosen stays chosen from one operation to the next.
        const expectedTabs = [...samples.map((s) => s.label), ...(firstExample ? ["Payload"] : [])];
        const language = panel.getByRole("button", {
          name: new RegExp(`^(${expectedTabs.join("|")})$`),
        });
        const choose = async (tab: string) => {
          await language.click();
          await page.getByRole("menuitem", { name: tab, exact: true }).click();
          await expect.poll(() => language.textContent(), { message: `${tab} chosen` }).toBe(tab);
        };
        await language.click();
        const tabs = await page.getByRole("menuitem").allTextContents();
        await language.click();
        expect(tabs).toEqual(expectedTabs);

        for (const tab of tabs) {
          await choose(tab);
          const block = panel.locator('[data-component-name="CodeBlock/CodeBlock"]').first();
          const sample = samples.find((s) => s.label === tab);
          const expected = sample ? sample.source.trim() : JSON.stringify(firstExample?.value);
          const read = (text: string) => (sample ? text.trim() : JSON.stringify(JSON.parse(text)));
          await expect
            .poll(async () => read((await codeBlockFit(block)).text), { message: `${tab} tab` })
            .toBe(expected);
          // Pixels of code out of sight (scrolled off or past the window), code under the button.
          const { hiddenPx, underButton } = await codeBlockFit(block);
          expect({ hiddenPx, underButton }, `${tab} tab`).toEqual({ hiddenPx: 0, underButton: [] });
          await block.scrollIntoViewIfNeeded();
          await panel.screenshot({ path: `${artifacts}docs-${op.operationId}-${tab}.png` });
        }
        await choose(tabs[0] ?? "");
      },
    );
  },
);
