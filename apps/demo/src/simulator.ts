// The participant as a simulating mock sees it, read from its admin routes (CORS): the meeting,
// its live tokens, and the participant's last camera and share invitation.
import type { Invitation, MeetingView } from "@meeting-control/mock";
import { block, element, type Row } from "./render.js";

const clock = (iso: string) => new Date(iso).toLocaleTimeString();

const invitation = (last: Invitation | null) =>
  last ? `${last.action}, asked at ${clock(last.at)} (request id ${last.requestId})` : "none yet";

function meetingRows(meeting: MeetingView, participantID: string): Row[] {
  const participant = meeting.participants.find((p) => p.participantID === participantID);
  const flags = [
    meeting.started ? "started" : "not started",
    meeting.locked ? "locked" : "unlocked",
    meeting.allowInviteOpenVideo
      ? "invitations to open video allowed"
      : "no invitations to open video",
  ];
  const tokens = meeting.tokens.map((t) => clock(t.expiresAt));
  const rows: Row[] = [
    ["Meeting", `${meeting.conferenceID}: ${flags.join(", ")}`],
    ["Live tokens", tokens.length ? `${tokens.length}, expiring at ${tokens.join(", ")}` : "none"],
  ];
  if (!participant) {
    const everyone = meeting.participants.map(
      (p) => `${p.participantID}${p.audioOnly ? " (audio only)" : ""}`,
    );
    return [
      ...rows,
      [
        "Participant",
        `${participantID} is not in this meeting. In it: ${everyone.join(", ") || "nobody"}`,
      ],
    ];
  }
  return [
    ...rows,
    ["Participant", `${participant.participantID}${participant.audioOnly ? " (audio only)" : ""}`],
    ["Camera", invitation(participant.camera)],
    ["Screen share", invitation(participant.share)],
  ];
}

/** The panel beside the result, when the page is given the admin routes' URL; else nothing. */
export function simulatorPanel(adminUrl: string | null, panel: HTMLElement, section: HTMLElement) {
  if (!adminUrl) return { refresh: async () => {} };
  section.hidden = false;
  let latest = 0;
  return {
    /** Shows what the simulator holds now for the meeting and participant. */
    async refresh(conferenceID: string, participantID: string) {
      const asked = ++latest;
      let node: Node;
      try {
        const response = await fetch(`${adminUrl}/meetings/${encodeURIComponent(conferenceID)}`);
        node =
          response.status === 404
            ? element("p", "muted", `The simulator has no meeting ${conferenceID}.`)
            : block(
                "state",
                "The simulator's state",
                meetingRows(await response.json(), participantID),
              );
      } catch {
        node = element(
          "p",
          "muted",
          `Could not reach the simulator's admin routes at ${adminUrl}.`,
        );
      }
      if (asked === latest) panel.replaceChildren(node);
    },
  };
}
