// The demo as `pnpm start` opens it: against the mock simulating the sample meeting, prefilled
// with its host password, the simulator's view of the participant beside each result.
import { type SimulatingMockServer, startMockServer } from "@meeting-control/mock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { demoSearch, SAMPLE_MEETINGS } from "../scripts/simulated.mjs";
import { type Demo, openDemo, support } from "./demo-page.js";

const [MEETING = { conferenceID: "", hostPassword: "", participants: [] }] = SAMPLE_MEETINGS;
const SPEAKER = MEETING.participants.find((p) => !p.audioOnly)?.participantID ?? "";
const PHONE = MEETING.participants.find((p) => p.audioOnly)?.participantID ?? "";

describe.skipIf(support.skip)("the demo console against the simulated sample meeting", () => {
  let mock: SimulatingMockServer | undefined;
  let demo: Demo;
  // biome-ignore lint/performance/useDomNodeTextContent: a Playwright locator, not a DOM node
  const state = () => demo.page.locator("#state").innerText();
  /**
   * Clicks `label`, waits for `expected` in the result this click shows (not the one before it:
   * each has its own request id), and returns the API requests it sent.
   */
  async function click(label: string, expected: string) {
    const before = demo.toMock.length;
    const shownBefore = await demo.shown();
    await demo.button(label).click();
    await expect
      .poll(
        async () => {
          const shown = await demo.shown();
          return shown === shownBefore ? "(the result before the click)" : shown;
        },
        { message: expected },
      )
      .toContain(expected);
    return demo.toMock
      .slice(before)
      .map((r) => `${r.method()} ${new URL(r.url()).pathname}`)
      .filter((line) => !line.includes(" /__mock/")); // the state panel's own reads
  }

  beforeAll(async () => {
    mock = await startMockServer({ port: 0, meetings: SAMPLE_MEETINGS });
    demo = await openDemo(mock.url, demoSearch(mock, MEETING));
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

  it("is prefilled to drive the meeting with its host password, and shows the participant as the simulator has it", async () => {
    expect(await demo.field("Conference ID").inputValue()).toBe(MEETING.conferenceID);
    expect(await demo.field("Participant ID").inputValue()).toBe(SPEAKER);
    expect(await demo.field("Host password").inputValue()).toBe(MEETING.hostPassword);
    expect(await demo.field("Token").inputValue()).toBe("");
    expect(await demo.page.locator("#scenario-field").isVisible()).toBe(false);
    await expect.poll(state).toContain(`Participant\n${SPEAKER}`);
    const text = await state();
    expect(text).toMatch(/Camera\nnone yet/);
    expect(text).toMatch(/Live tokens\nnone/);
  });

  it("the first click gets a token with the host password, then invites; the state shows the invitation's request id", async () => {
    const paths = await click("Ask to turn camera on", "Success: Ask to turn camera on");
    expect(paths).toEqual([
      "GET /v1/mmc/control/conferences/token",
      "PUT /v1/mmc/control/conferences/participants/video",
    ]);
    expect(await demo.shown()).toContain("fetched first with CreateConfToken");
    const requestId = /Request id\n([0-9a-f]{32})/.exec(await demo.shown())?.[1];
    expect(requestId).toBeDefined();
    await expect
      .poll(state)
      .toMatch(new RegExp(`Camera\\nenable, asked at .* \\(request id ${requestId}\\)`));
    expect(await state()).toMatch(/Live tokens\n1, expiring at/);
    expect(mock?.meeting(MEETING.conferenceID)?.participants[0]?.camera?.requestId).toBe(requestId);
    await demo.shot("simulator-success");
  });

  it("the next click reuses the token; after 31 minutes it is refused, fetched again and the call retried", async () => {
    expect(await click("Invite to share screen", "Success: Invite to share screen")).toEqual([
      "PUT /v1/mmc/control/conferences/participants/share/invite",
    ]);
    expect(await demo.shown()).toContain("kept from an earlier click");
    await expect.poll(state).toMatch(/Screen share\ninvite, asked at/);
    mock?.advanceTime(31 * 60_000);
    const paths = await click("Cancel share invitation", "Success: Cancel share invitation");
    expect(paths).toEqual([
      "PUT /v1/mmc/control/conferences/participants/share/invite",
      "GET /v1/mmc/control/conferences/token",
      "PUT /v1/mmc/control/conferences/participants/share/invite",
    ]);
    expect(await demo.shown()).toContain("refused, so fetched again");
    await expect.poll(state).toMatch(/Screen share\ncancel, asked at/);
  });

  it("an audio-only participant: 400 MMC.111072026, and the state shows no camera invitation", async () => {
    await demo.field("Participant ID").fill(PHONE);
    await click("Ask to turn camera on", "HTTP 400");
    expect(await demo.shown()).toContain("MMC.111072026");
    await expect.poll(state).toContain(`Participant\n${PHONE} (audio only)`);
    expect(await state()).toMatch(/Camera\nnone yet/);
    await demo.shot("simulator-audio-only");
  });

  it("a participant not in the meeting: 400 MMC.111070005, and the state says who is in it", async () => {
    await demo.field("Participant ID").fill("not-in-this-meeting");
    await click("Invite to share screen", "HTTP 400");
    expect(await demo.shown()).toContain("MMC.111070005");
    await expect.poll(state).toContain("not-in-this-meeting is not in this meeting");
    expect(await state()).toContain(`${PHONE} (audio only)`);
    await demo.field("Participant ID").fill(SPEAKER);
  });
});
