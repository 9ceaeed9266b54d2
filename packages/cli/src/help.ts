import type { Command } from "./args.js";
import { CONFERENCE_ID, DEFAULT_REGION, REGION_NAMES } from "./facts.js";

const IDS = "--conference 986947855 --participant 4a5rg64ag5p8pvvnam1rr6m8lqra6a61";

/** A region other than the default, for an example. */
const OTHER_REGION = REGION_NAMES.find((region) => region !== DEFAULT_REGION) ?? DEFAULT_REGION;

/** The options every command takes, after its own. */
const CONNECTION = `  --base-url URL    API address: https://, or http:// to a loopback host
  --region REGION   ${REGION_NAMES.map((r) => (r === DEFAULT_REGION ? `${r} (default)` : r)).join(" or ")}
  --mock            the local mock: $MEETING_CONTROL_MOCK_URL or http://127.0.0.1:4010
  --timeout MS      time limit of each attempt, in ms (default 10000)
  --retries N       retries after a failed attempt, 0 to 10 (default 2)
  --json            print one JSON object on stdout, errors included
  -h, --help        show this help`;

/** The options of camera and share. */
const PARTICIPANT_OPTIONS = `  --conference ID   ${CONFERENCE_ID}
  --participant ID  participant ID
  --token TOKEN     meeting control token
${CONNECTION}`;

const CONTROL_TOKEN = `Token: --token TOKEN or MEETING_CONTROL_TOKEN (better: it stays out of shell history and ps).
With neither, MEETING_HOST_PASSWORD lets the CLI get a token itself.`;

const EXIT =
  "Exit codes: 0 done, 1 API, network or timeout error, redirect or unusable answer, 2 usage error, 130 cancelled at the password prompt.";

const HELP: Record<Command | "main", string> = {
  main: `meeting-control: camera and screen-share invitations for Huawei Cloud Meeting

Usage:
  meeting-control camera <enable|disable> --conference ID --participant ID [options]
  meeting-control share <invite|cancel> --conference ID --participant ID [options]
  meeting-control token --conference ID [options]

Commands:
  camera   ask a participant to turn the camera on (enable) or off (disable)
  share    invite a participant to share a screen (invite), or cancel the invitation (cancel)
  token    get a meeting control token (valid 30 minutes) with the host password

Options:
  --conference ID   ${CONFERENCE_ID}
  --participant ID  participant ID (camera, share)
  --token TOKEN     meeting control token (camera, share)
${CONNECTION}
  --version         print the version

Environment:
  MEETING_CONTROL_TOKEN     meeting control token, for camera and share
  MEETING_HOST_PASSWORD     host password, for token (else a hidden prompt in a terminal),
                            and for camera and share when no token is given
  MEETING_CONTROL_MOCK_URL  address --mock uses
A password is never accepted as a flag.

${EXIT}

Examples:
  export MEETING_CONTROL_TOKEN=...   # from "meeting-control token"
  meeting-control camera enable ${IDS}
  meeting-control share invite ${IDS} --json
  meeting-control token --conference 986947855   # prompts for the host password

"meeting-control <command> --help" shows more about a command.
`,
  camera: `meeting-control camera: ask a participant to turn the camera on or off

Usage:
  meeting-control camera <enable|disable> --conference ID --participant ID [options]

  enable    ask the participant to turn the camera on
  disable   ask the participant to turn the camera off
The participant's client asks them to agree; success means the invitation was sent.

Options:
${PARTICIPANT_OPTIONS}

${CONTROL_TOKEN}
${EXIT}

Examples:
  meeting-control camera enable ${IDS}
  meeting-control camera disable ${IDS} --region ${OTHER_REGION} --json
`,
  share: `meeting-control share: invite a participant to share a screen, or cancel the invitation

Usage:
  meeting-control share <invite|cancel> --conference ID --participant ID [options]

  invite    invite the participant to share a screen
  cancel    cancel the invitation

Options:
${PARTICIPANT_OPTIONS}

${CONTROL_TOKEN}
${EXIT}

Examples:
  meeting-control share invite ${IDS}
  meeting-control share cancel ${IDS} --json
`,
  token: `meeting-control token: get a meeting control token with the host password

Usage:
  meeting-control token --conference ID [options]

Prints the token, when it expires (30 minutes; the meeting must have started) and the role.
Keep the token secret: anyone holding it controls the meeting until it expires.

Options:
  --conference ID   ${CONFERENCE_ID}
${CONNECTION}

The host password comes from MEETING_HOST_PASSWORD or, in a terminal, a hidden prompt.
It is never accepted as a flag.
${EXIT}

Examples:
  meeting-control token --conference 986947855
  meeting-control token --conference 986947855 --json
`,
};

export const help = (command?: Command) => HELP[command ?? "main"];
