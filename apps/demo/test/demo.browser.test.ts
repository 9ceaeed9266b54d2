import { type AddressInfo, createServer } from "node:net";
import { ID_LENGTHS, POLARITY } from "@meeting-control/client/facts";
import { type MockServer, startMockServer } from "@meeting-control/mock";
import type { Request } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SCENARIOS } from "../src/scenarios.js";
import { type Demo, openDemo, support } from "./demo-page.js";

// The X-Request-Id every answer of the mock carries (the spec's example).
// The mock gives every answer a fresh request id of the service's form.
const REQUEST_ID = /[0-9a-f]{32}/;
const VIDEO = "/v1/mmc/control/conferences/participants/video";
const SHARE = "/v1/mmc/control/conferences/participants/share/invite";

/** The label of the scenario whose answer has `code` (the spec's summary, status and code). */
const scenarioFor = (code: string) => {
  const found = SCENARIOS.find((s) => s.answer?.code === code);
  if (!found) throw new Error(`no scenario answers ${code}`);
  return found.label;
};

// Each button's body, from the spec's polarity (the two operations' 0 and 1 mean opposite things).
const { InviteOperateVideo: video, InviteShare: share } = POLARITY;
const BUTTONS = [
  { label: "Ask to turn camera on", path: VIDEO, body: { [video.field]: video.enable } },
  { label: "Ask to turn camera off", path: VIDEO, body: { [video.field]: video.disable } },
  { label: "Invite to share screen", path: SHARE, body: { [share.field]: share.invite } },
  { label: "Cancel share invitation", path: SHARE, body: { [share.field]: share.cancel } },
].map((b) => ({ ...b, wire: JSON.stringify(b.body) }));
const { min, max } = ID_LENGTHS.conferenceID;

describe.skipIf(support.skip)("the demo console, served from dist/, against the real mock", () => {
  let mock: MockServer | undefined;
  let demo: Demo;
  let page: Demo["page"];
  let toMock: Request[] = [];
  let leaving: Request[] = [];
  const result = () => page.getByRole("status");
  const shown = () => demo.shown();
  const button = (label: string) => demo.button(label);
  const field = (label: string) => demo.field(label);
  const chooseScenario = (label: string) => field("Mock scenario").selectOption({ label });
  const shot = (name: string) => demo.shot(name);

  /** Clicks (or runs `act`), waits for the one request to the mock and for `expected` in the result. */
  async function send(label: string, expected: string, act = () => button(label).click()) {
    const before = toMock.length;
    const shownBefore = await shown();
    const [request] = await Promise.all([
      page.waitForRequest(
        (r) => r.method() === "PUT" && new URL(r.url()).origin === demo.mockOrigin,
      ),
      act(),
    ]);
    // The result this click shows, not the one before it (each has its own request id or time).
    await expect
      .poll(
        async () => {
          const text = await shown();
          return text === shownBefore ? "(the result before the click)" : text;
        },
        { message: expected },
      )
      .toContain(expected);
    expect(toMock.length - before, "one click, one request (maxRetries: 0)").toBe(1);
    return request;
  }

  beforeAll(async () => {
    mock = await startMockServer({ port: 0 });
    demo = await openDemo(mock.url, `?baseUrl=${encodeURIComponent(mock.url)}`);
    ({ page, toMock, leaving } = demo);
  });

  afterAll(async () => {
    const closed = await Promise.allSettled([demo?.close(), mock?.close()]);
    const failures = closed.flatMap((c) => (c.status === "rejected" ? [c.reason] : []));
    if (failures.length) throw new AggregateError(failures, "could not close everything");
  });
  // After each test, so the one that caused it fails, whichever tests ran.
  afterEach(() => {
    expect((demo?.pageErrors ?? []).splice(0), "uncaught errors in the page").toEqual([]);
  });

  it("fills the fields with the defaults, the base URL from ?baseUrl=", async () => {
    expect(await field("Base URL").inputValue()).toBe(mock?.url);
    expect(await field("Conference ID").inputValue()).toBe("986947855");
    expect(await field("Participant ID").inputValue()).toBe("4a5rg64ag5p8pvvnam1rr6m8lqra6a61");
    expect(await field("Token").getAttribute("type")).toBe("password");
    expect(await field("Token").inputValue()).toMatch(/^Basic Y25yYjQy/);
    expect(await field("Mock scenario").inputValue()).toBe("");
    expect(await result().getAttribute("aria-live")).toBe("polite");
  });

  it("states the spec's facts: the conference ID's length and each action's body", async () => {
    // biome-ignore lint/performance/useDomNodeTextContent: a Playwright locator, not a DOM node
    expect(await page.locator("#conferenceID-hint").innerText()).toBe(
      `${min} to ${max} characters, not the VMR ID.`,
    );
    // biome-ignore lint/performance/useDomNodeTextContent: a Playwright locator, not a DOM node
    const lines = (await page.locator("ul.polarity").innerText()).split("\n");
    for (const { label, body } of BUTTONS) {
      const [[field, value]] = Object.entries(body) as [[string, number]];
      expect(lines.find((line) => line.startsWith(`${label}:`))).toMatch(
        new RegExp(`sends \\{"${field}": ${value}\\}$`),
      );
    }
  });

  it.each(BUTTONS)("$label: success, with the request id, and $wire on the wire", async (b) => {
    const request = await send(b.label, `Success: ${b.label}`);
    const url = new URL(request.url());
    expect(url.pathname).toBe(b.path);
    expect(url.searchParams.get("conferenceID")).toBe("986947855");
    expect(url.searchParams.get("participantID")).toBe("4a5rg64ag5p8pvvnam1rr6m8lqra6a61");
    expect(request.postDataJSON()).toEqual(b.body);
    expect((await request.allHeaders()).prefer).toBeUndefined();
    const text = await shown();
    expect(text).toMatch(REQUEST_ID);
    expect(text).toContain(b.wire);
    if (b === BUTTONS.at(-1)) await shot("desktop-success");
  });

  it("meeting locked: status 400, code, service message, request id and error class", async () => {
    await chooseScenario(scenarioFor("MMC.111072050"));
    const request = await send("Invite to share screen", "HTTP 400");
    expect((await request.allHeaders()).prefer).toBe("code=400, example=confLocked");
    const text = await shown();
    for (const part of ["400", "MMC.111072050", "CONF_LOCKED", "ClientRequestError"]) {
      expect(text).toContain(part);
    }
    expect(text).toMatch(REQUEST_ID);
    await shot("desktop-error");
  });

  it("meeting does not allow inviting to open video: 403 MMC.111072117 on camera on", async () => {
    await chooseScenario(scenarioFor("MMC.111072117"));
    await send("Ask to turn camera on", "HTTP 403");
    const text = await shown();
    for (const part of ["403", "MMC.111072117", "CONF_NOT_SUPPORT_INVITE_OPEN_VIDEO"]) {
      expect(text).toContain(part);
    }
    expect(text).toMatch(REQUEST_ID);
  });

  it("a camera-only scenario on a share button: the mock's 500 is shown, with a hint why", async () => {
    // The spec has confNotSupportInviteOpenVideo for InviteOperateVideo only; Prism answers 500.
    await chooseScenario(scenarioFor("MMC.111072117"));
    await send("Invite to share screen", "HTTP 500");
    const text = await shown();
    expect(text).toContain("ServerResponseError");
    expect(text).toContain("for InviteOperateVideo only");
  });

  it("server error: 500 is a ServerResponseError, sent once (no retries)", async () => {
    await chooseScenario(scenarioFor("MMC.000000002"));
    await send("Cancel share invitation", "HTTP 500");
    const text = await shown();
    for (const part of ["MMC.000000002", "Internal error", "ServerResponseError"]) {
      expect(text).toContain(part);
    }
    expect(text).toMatch(REQUEST_ID);
    await chooseScenario("None (success)");
  });

  it("invalid input: an empty participant ID is named, marked and focused, and nothing is sent", async () => {
    const participant = field("Participant ID");
    await participant.fill("");
    const before = leaving.length;
    await button("Ask to turn camera on").click();

    await expect.poll(shown).toContain("participantID");
    const text = await shown();
    expect(text).toContain("Participant ID (participantID)");
    expect(text).toContain("participantID must be a non-empty string");
    expect(text).toContain("InvalidInputError");
    expect(await participant.getAttribute("aria-invalid")).toBe("true");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("participantID");
    expect(await page.locator("#participantID-error").isVisible()).toBe(true);
    await shot("desktop-invalid-input");

    // The same click with the field restored sends one request. Requests leave in click order,
    // so a stray one from the invalid click would be listed before it: there is none (no waiting
    // for a stray request to show up, which a slow machine could outwait).
    await participant.fill("4a5rg64ag5p8pvvnam1rr6m8lqra6a61");
    expect(await participant.getAttribute("aria-invalid")).toBeNull();
    const sent = await send("Ask to turn camera on", "Success: Ask to turn camera on");
    expect(leaving.slice(before).map((r) => r.url())).toEqual([sent.url()]);
  });

  it("a bad base URL is refused when the client is created: the field is named, nothing is sent", async () => {
    const baseUrl = field("Base URL");
    await baseUrl.fill("http://example.com:4010");
    const before = leaving.length;
    await button("Invite to share screen").click();

    await expect.poll(shown).toContain("Base URL (baseUrl)");
    expect(await baseUrl.getAttribute("aria-invalid")).toBe("true");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("baseUrl");
    // Nothing went anywhere, example.com included: the next request out is the one sent below.
    await baseUrl.fill(mock?.url ?? "");
    const sent = await send("Invite to share screen", "Success: Invite to share screen");
    expect(leaving.slice(before).map((r) => r.url())).toEqual([sent.url()]);
  });

  it("an unreachable base URL: a NetworkError, with a hint to start the mock", async () => {
    // A port known to be closed: one the system just gave out, and that nothing listens on now.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve, reject) => probe.close((e) => (e ? reject(e) : resolve())));
    const baseUrl = field("Base URL");
    await baseUrl.fill(`http://127.0.0.1:${port}`);
    await button("Ask to turn camera off").click();
    await expect.poll(shown).toContain("could not be reached");
    expect(await shown()).toContain("NetworkError");
    expect(await shown()).toContain("pnpm mock");
    await baseUrl.fill(mock?.url ?? "");
  });

  it("the token can be shown and hidden again", async () => {
    const toggle = button("Show token");
    await toggle.click();
    expect(await field("Token").getAttribute("type")).toBe("text");
    expect(await toggle.getAttribute("aria-pressed")).toBe("true");
    await toggle.click();
    expect(await field("Token").getAttribute("type")).toBe("password");
    expect(await toggle.getAttribute("aria-pressed")).toBe("false");
  });

  it("keyboard: Tab reaches a button, its focus outline is visible, Enter triggers it", async () => {
    const target = "Ask to turn camera off";
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    let focused = "";
    for (let i = 0; i < 20 && focused !== target; i++) {
      await page.keyboard.press("Tab");
      focused = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? "");
    }
    expect(focused).toBe(target);
    const outline = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement as Element);
      return { style: style.outlineStyle, width: style.outlineWidth };
    });
    expect(outline.style).not.toBe("none");
    expect(outline.width).not.toBe("0px");
    await shot("keyboard-focus");

    const request = await send(target, `Success: ${target}`, () => page.keyboard.press("Enter"));
    expect(request.postDataJSON()).toEqual({ status: 1 });
  });

  it("at 360×740 every button is visible with no horizontal scrolling", async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    // The widest content the page shows: an error with every detail.
    await chooseScenario(scenarioFor("MMC.111072050"));
    await send("Ask to turn camera on", "HTTP 400");
    await chooseScenario("None (success)");

    const scrollWidth = await page.evaluate(() => document.scrollingElement?.scrollWidth ?? 0);
    expect(scrollWidth).toBeLessThanOrEqual(360);
    for (const { label } of BUTTONS) {
      const box = await button(label).boundingBox();
      expect(await button(label).isVisible(), label).toBe(true);
      expect(box?.x ?? -1, label).toBeGreaterThanOrEqual(0);
      expect((box?.x ?? 0) + (box?.width ?? 999), label).toBeLessThanOrEqual(360);
    }
    await shot("narrow");
  });
});
