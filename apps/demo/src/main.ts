import {
  type ControlResult,
  InvalidInputError,
  type MeetingControlClient,
  type OperationName,
} from "@meeting-control/client";
import { ID_LENGTHS, POLARITY } from "@meeting-control/client/facts";
import { failure, invalid, pending, success } from "./render.js";
import { SCENARIOS } from "./scenarios.js";
import { session } from "./session.js";
import { simulatorPanel } from "./simulator.js";

const FIELDS = {
  baseUrl: "Base URL",
  token: "Token",
  hostPassword: "Host password",
  conferenceID: "Conference ID",
  participantID: "Participant ID",
} as const;
type Field = keyof typeof FIELDS;

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

// `pnpm start` opens the page with a simulated meeting's IDs, host password and admin routes, in
// the URL's fragment (never sent to a server); the query works too.
const params = new URLSearchParams(location.hash.slice(1) || location.search);
const hostPassword = params.get("hostPassword") ?? "";
const DEFAULTS: Record<Field, string> = {
  baseUrl: params.get("baseUrl") ?? "http://127.0.0.1:4010",
  // With a host password the client gets its own token: the token flow is what the page shows.
  token: hostPassword
    ? ""
    : "Basic Y25yYjQyNmNhMzgyMWY4YTE4ZTc4ZDU5ZGE1NzJhNDIxNjQ0YzUyZGZkOWE0NzMwMjk4",
  hostPassword,
  conferenceID: params.get("conferenceID") ?? "986947855",
  participantID: params.get("participantID") ?? "4a5rg64ag5p8pvvnam1rr6m8lqra6a61",
};
const state = simulatorPanel(params.get("simulator"), byId("state"), byId("state-section"));
// A simulator decides every answer itself: Prefer scenarios would change nothing.
if (params.get("simulator")) byId("scenario-field").hidden = true;

type Ids = { conferenceID: string; participantID: string };
interface Action {
  operation: OperationName;
  send: (client: MeetingControlClient, ids: Ids) => Promise<ControlResult>;
}
const ACTIONS: Record<string, Action> = {
  "camera-on": {
    operation: "InviteOperateVideo",
    send: (client, ids) => client.inviteCamera({ ...ids, action: "enable" }),
  },
  "camera-off": {
    operation: "InviteOperateVideo",
    send: (client, ids) => client.inviteCamera({ ...ids, action: "disable" }),
  },
  "share-invite": {
    operation: "InviteShare",
    send: (client, ids) => client.inviteScreenShare({ ...ids, action: "invite" }),
  },
  "share-cancel": {
    operation: "InviteShare",
    send: (client, ids) => client.inviteScreenShare({ ...ids, action: "cancel" }),
  },
};

const inputs = Object.fromEntries(
  Object.keys(FIELDS).map((field) => [field, byId<HTMLInputElement>(field)]),
) as Record<Field, HTMLInputElement>;
const scenario = byId<HTMLSelectElement>("scenario");
const result = byId<HTMLDivElement>("result");
const isField = (name: string): name is Field => Object.hasOwn(FIELDS, name);

for (const field of Object.keys(FIELDS) as Field[]) {
  inputs[field].value = DEFAULTS[field];
  inputs[field].addEventListener("input", () => clearFieldError(field));
}
for (const { label, prefer } of SCENARIOS) scenario.add(new Option(label, prefer));

// The facts of the spec the page states: the conference ID's length, the body of each action.
const { min, max } = ID_LENGTHS.conferenceID;
byId("conferenceID-hint").textContent =
  `${max === undefined ? `${min} or more` : `${min} to ${max}`} characters, not the VMR ID.`;
for (const code of document.querySelectorAll<HTMLElement>("code[data-wire]")) {
  const [operation, action] = (code.dataset.wire ?? "").split(" ") as [
    keyof typeof POLARITY,
    string,
  ];
  const { field, ...values } = POLARITY[operation];
  code.textContent = `{"${field}": ${values[action as keyof typeof values]}}`;
}

const toggle = byId<HTMLButtonElement>("toggle-token");
// A toggle button: its name stays "Show token", aria-pressed carries the state.
toggle.addEventListener("click", () => {
  const reveal = inputs.token.type === "password";
  inputs.token.type = reveal ? "text" : "password";
  toggle.setAttribute("aria-pressed", String(reveal));
});

function clearFieldError(field: Field) {
  inputs[field].removeAttribute("aria-invalid");
  const message = byId(`${field}-error`);
  message.hidden = true;
  message.textContent = "";
}

function showFieldError(field: Field, text: string) {
  const message = byId(`${field}-error`);
  message.textContent = text;
  message.hidden = false;
  inputs[field].setAttribute("aria-invalid", "true");
  inputs[field].focus();
}

const show = (node: Node) => result.replaceChildren(node);

// Only the latest click may write the result, however the earlier requests end.
let latest = 0;
let pendingLabel = "";
const clients = session((request) => show(pending(pendingLabel, request)));
async function run(label: string, action: Action) {
  const click = ++latest;
  for (const field of Object.keys(FIELDS) as Field[]) clearFieldError(field);
  const values = Object.fromEntries(
    Object.entries(inputs).map(([field, input]) => [field, input.value.trim()]),
  ) as Record<Field, string>;
  const chosen = SCENARIOS[scenario.selectedIndex];
  const hint =
    chosen?.only && chosen.only !== action.operation
      ? `The mock has this scenario for ${chosen.only} only: for ${action.operation} it answers 500.`
      : undefined;
  clients.begin();
  pendingLabel = label;
  try {
    const client = clients.client(values, scenario.value);
    const { requestId } = await action.send(client, values);
    if (click === latest) show(success(label, requestId, clients.wire(values)));
  } catch (error) {
    if (click !== latest) return;
    if (error instanceof InvalidInputError) {
      const field = isField(error.field) ? error.field : undefined;
      show(invalid(label, error, field && FIELDS[field]));
      if (field) showFieldError(field, error.message);
    } else {
      show(failure(label, error, clients.wire(values), hint));
    }
  } finally {
    if (click === latest) void state.refresh(values.conferenceID, values.participantID);
  }
}

for (const button of document.querySelectorAll<HTMLButtonElement>("button[data-action]")) {
  const action = ACTIONS[button.dataset.action ?? ""];
  if (action) button.addEventListener("click", () => run(button.textContent?.trim() ?? "", action));
}
// Enter in a text field would otherwise try to submit the form.
byId<HTMLFormElement>("console").addEventListener("submit", (event) => event.preventDefault());
for (const field of ["conferenceID", "participantID"] as const)
  inputs[field].addEventListener("change", () =>
    state.refresh(inputs.conferenceID.value.trim(), inputs.participantID.value.trim()),
  );
void state.refresh(DEFAULTS.conferenceID, DEFAULTS.participantID);
