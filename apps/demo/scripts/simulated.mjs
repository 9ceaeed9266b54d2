// The meeting `pnpm start` simulates (sample-meetings.json, which `meeting-control-mock
// --meetings` takes too), and the demo's address that drives it.
import { readFileSync } from "node:fs";

/** @type {import("@meeting-control/mock").MeetingInput[]} */
export const SAMPLE_MEETINGS = JSON.parse(
  readFileSync(new URL("./sample-meetings.json", import.meta.url), "utf8"),
);

/**
 * The demo's settings for a simulating mock, as a URL fragment: its URL, its admin routes, and the meeting's
 * IDs and host password, so that the page drives the meeting as it is.
 * @param {{ url: string, adminUrl: string }} mock
 * @param {import("@meeting-control/mock").MeetingInput} meeting
 */
export function demoSearch(mock, meeting) {
  // In the fragment, which a browser never sends: the static server never sees the password.
  return `#${new URLSearchParams({
    baseUrl: mock.url,
    simulator: mock.adminUrl,
    conferenceID: meeting.conferenceID,
    participantID: meeting.participants[0]?.participantID ?? "",
    hostPassword: meeting.hostPassword,
  })}`;
}

/**
 * The meeting's details, as the start banner prints them.
 * @param {import("@meeting-control/mock").MeetingInput} meeting
 */
export function meetingLines(meeting) {
  const people = meeting.participants.map(
    (p) => `${p.participantID}${p.audioOnly ? " (audio only)" : ""}`,
  );
  return [
    `  Conference ID   ${meeting.conferenceID}`,
    `  Host password   ${meeting.hostPassword}`,
    `  Participants    ${people.join(", ")}`,
  ].join("\n");
}
