// The meetings the simulator's tests run, one of each kind: started with an audio-only
// participant, locked, forbidding camera invitations, and not started. The mock's tests and the
// end-to-end tests both use them, so that their answers are mixed the same way.
export const TEST_MEETINGS = [
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
];
