// Shared by the simulator's tests: the spec's facts and a set of meetings, one of each kind.
import { factsFrom } from "../src/sim/facts.js";
import { checkMeetings } from "../src/sim/meetings.js";
import { deref, scenarios, specDocument } from "../src/spec.js";

export const facts = factsFrom(specDocument(), scenarios(), deref);
export const MEETINGS = checkMeetings([
  {
    conferenceID: "986947855",
    hostPassword: "host-pass-123",
    participants: [{ participantID: "alice" }, { participantID: "phone", audioOnly: true }],
  },
  {
    conferenceID: "111222333",
    hostPassword: "other-pass",
    locked: true,
    participants: [{ participantID: "bob" }],
  },
  {
    conferenceID: "444555666",
    hostPassword: "third-pass",
    allowInviteOpenVideo: false,
    participants: [{ participantID: "carol" }],
  },
  { conferenceID: "777888999", hostPassword: "later-pass", started: false, participants: [] },
]);
