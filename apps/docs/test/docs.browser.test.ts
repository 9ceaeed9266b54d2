import { mkdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { browserSupport, launchChromium } from "@meeting-control/testkit";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const indexHtml = fileURLToPath(new URL("../dist/index.html", import.meta.url));
const artifacts = fileURLToPath(new URL("../test-results/", import.meta.url));
const support = browserSupport("docs browser test");

const OPERATIONS = [
  {
    tag: "Participant control",
    summary: "Invite a participant to turn the camera on or off",
    parameters: ["conferenceID", "participantID", "status"],
    meaning:
      "0 asks the participant to turn the camera on; 1 asks the participant to turn the camera off.",
    sample: "client.inviteCamera({",
  },
  {
    tag: "Participant control",
    summary: "Invite a participant to share a screen or cancel the invitation",
    parameters: ["conferenceID", "participantID", "share"],
    meaning: "1 invites the participant to share a screen; 0 cancels the invitation.",
    sample: "client.inviteScreenShare({",
  },
  {
    tag: "Meeting control token",
    summary: "Get a meeting control token",
    parameters: [
      "conferenceID",
      "X-Password",
      "X-Login-Type",
      "X-Conference-Authorization",
      "X-Nonce",
    ],
    meaning: "The meeting control token. Send it in X-Conference-Authorization",
    sample: "client.createConfToken({",
  },
];

describe.skipIf(support.skip)(
  "the rendered docs, opened from the file with the network off",
  () => {
    let browser: Browser;
    let page: Page;
    const outbound: string[] = [];

    beforeAll(async () => {
      browser = await launchChromium(support.executablePath);
      const context = await browser.newContext({
        offline: true,
        viewport: { width: 1400, height: 1000 },
      });
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

    it("shows the token flow and both servers on the first screen", async () => {
      for (const text of [
        "The token flow",
        "https://api.meeting.huaweicloud.com",
        "https://api-intl.meeting.huaweicloud.com",
      ]) {
        await expect
          .poll(() => page.getByText(text).first().isVisible(), { message: text })
          .toBe(true);
      }
      mkdirSync(artifacts, { recursive: true });
      await page.screenshot({ path: `${artifacts}docs-overview.png` });
    });

    it.each(OPERATIONS)(
      "$summary: reachable from the sidebar, with its parameters, their meaning and a code sample",
      async (op) => {
        // The sidebar link reads "<summary><method>"; the tag's group may need opening first.
        const link = page.getByRole("link", {
          name: new RegExp(`^${op.summary}\\s*(get|put)$`, "i"),
        });
        if (!(await link.isVisible()))
          await page.getByRole("link", { name: op.tag, exact: true }).click();
        await link.click();

        const title = page.getByRole("heading", { name: op.summary });
        await expect.poll(() => title.isVisible(), { message: `heading ${op.summary}` }).toBe(true);
        for (const name of op.parameters) {
          const param = page.getByText(name, { exact: true }).first();
          await expect.poll(() => param.isVisible(), { message: `parameter ${name}` }).toBe(true);
        }
        // The TypeScript code sample (x-codeSamples) is the one shown first.
        const sample = page
          .locator("pre")
          .filter({ hasText: op.sample })
          .filter({ hasText: "createMeetingControlClient" })
          .first();
        await expect
          .poll(() => sample.isVisible(), { message: `code sample ${op.sample}` })
          .toBe(true);

        const meaning = page.getByText(op.meaning).first();
        await meaning.scrollIntoViewIfNeeded();
        await expect.poll(() => meaning.isVisible(), { message: op.meaning }).toBe(true);
        await page.screenshot({
          path: `${artifacts}docs-${op.summary.split(" ").slice(0, 6).join("-")}.png`,
        });
      },
    );

    it("contacted nothing over the network", () => {
      expect(outbound).toEqual([]);
    });
  },
);
