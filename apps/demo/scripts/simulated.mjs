// The meeting `pnpm start` simulates (sample-meetings.json, which `meeting-control-mock
// --meetings` takes too), and the demo's address that drives it.
import { readFileSync } from "node:fs";
import { hostname, networkInterfaces } from "node:os";

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

/**
 * The names a browser reaches a server of `start` by when it listens on `host`: the host itself;
 * for every interface (`0.0.0.0`, or `::`, which takes IPv4 too), 127.0.0.1 first, where a
 * browser on this machine reaches it (browsers refuse 0.0.0.0), then each address of the machine
 * (IPv4 only for `0.0.0.0`; link-local IPv6, which a URL cannot name, left out) and its name.
 * @param {string} host
 * @param {ReturnType<typeof networkInterfaces>} [interfaces]
 * @param {string} [name]
 * @returns {string[]}
 */
export function browserHosts(host, interfaces = networkInterfaces(), name = hostname()) {
  if (host !== "0.0.0.0" && host !== "::") return [host];
  const addresses = Object.values(interfaces)
    .flat()
    .filter((a) => a && (a.family === "IPv4" || (host === "::" && !a.scopeid)))
    .map((a) => a?.address ?? "");
  // The name as a URL writes it (lowercased), and only one a URL can hold.
  const named = URL.canParse(`http://${name}`) ? [new URL(`http://${name}`).hostname] : [];
  return [...new Set(["127.0.0.1", ...addresses, ...named])];
}

/** The origin of `host` (a name or an address) at `port`. @param {string} host @param {number} port */
export const originAt = (host, port) => `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
