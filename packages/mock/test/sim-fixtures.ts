// Shared by the simulator's tests: the spec's facts and a set of meetings, one of each kind.
import { TEST_MEETINGS } from "@meeting-control/testkit/meetings";
import { factsFrom } from "../src/sim/facts.js";
import { checkMeetings } from "../src/sim/meetings.js";
import { deref, scenarios, specDocument } from "../src/spec.js";

export const facts = factsFrom(specDocument(), scenarios(), deref);
export const MEETINGS = checkMeetings(TEST_MEETINGS);
