import { parseArgs } from "node:util";
import type { Region } from "@meeting-control/client";
import { invocation } from "./invocation.js";
import { PASSWORD_FLAG } from "./secrets.js";

export const COMMANDS = ["camera", "share", "token"] as const;
export type Command = (typeof COMMANDS)[number];

/** The actions of each command, in the CLI's words: the 0/1 of the wire stays in the client. */
export const ACTIONS = { camera: ["enable", "disable"], share: ["invite", "cancel"] } as const;

/** A mistake in the command line: exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
  constructor(
    message: string,
    readonly command?: Command,
  ) {
    super(message);
  }
}

const STRING = [
  "conference",
  "participant",
  "token",
  "base-url",
  "region",
  "timeout",
  "retries",
] as const;
const BOOLEAN = ["mock", "json", "help", "version"] as const;
const COMMON = ["base-url", "region", "mock", "timeout", "retries", "json", "help", "version"];
const FLAGS: Record<Command, readonly string[]> = {
  camera: ["conference", "participant", "token", ...COMMON],
  share: ["conference", "participant", "token", ...COMMON],
  token: ["conference", ...COMMON],
};

export interface Invocation {
  kind: "run";
  command: Command;
  action?: string;
  conference: string;
  participant?: string;
  token?: string;
  baseUrl?: string;
  region?: Region;
  mock: boolean;
  timeoutMs?: number;
  maxRetries?: number;
  json: boolean;
}

export type Parsed =
  | Invocation
  | { kind: "help"; command?: Command }
  | { kind: "version" }
  | { kind: "usage"; error: UsageError; json: boolean };

const isCommand = (value: string | undefined): value is Command =>
  COMMANDS.includes(value as Command);
export const quoted = (values: readonly string[]) => values.join(", ");

/** Reads the command line. Never throws: a mistake comes back as `{ kind: "usage" }`. */
export function parse(argv: readonly string[]): Parsed {
  const { tokens } = parseArgs({
    args: [...argv],
    options: {
      ...Object.fromEntries(STRING.map((name) => [name, { type: "string" }])),
      ...Object.fromEntries(BOOLEAN.map((name) => [name, { type: "boolean" }])),
      help: { type: "boolean", short: "h" },
    },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const options = tokens.filter((t) => t.kind === "option");
  const positionals = tokens.flatMap((t) => (t.kind === "positional" ? [t.value] : []));
  // JSON is asked for also where `--json` is itself the mistake: `--json=1`, or taken as the value
  // of the flag before it (`--participant --json`, which needs a value).
  const json = options.some((t) => t.name === "json" || (!t.inlineValue && t.value === "--json"));
  const [first, ...rest] = positionals;
  const helpCommand = first === "help";
  const word = helpCommand ? rest[0] : first;
  const command = isCommand(word) ? word : undefined;
  // A word right after a flag the CLI does not know may be that flag's value (a secret, say):
  // it is not echoed.
  const shown = (word: string) => {
    const before = tokens[tokens.findIndex((t) => t.kind === "positional" && t.value === word) - 1];
    return before?.kind === "option" &&
      before.value === undefined &&
      !(BOOLEAN as readonly string[]).includes(before.name)
      ? `(the word after ${before.rawName}, not shown)`
      : `"${word}"`;
  };
  const fail = (message: string): Parsed => ({
    kind: "usage",
    error: new UsageError(message, command),
    json,
  });

  const password = options.find((t) => PASSWORD_FLAG.test(t.name));
  if (password) {
    // Its value is never echoed: it may be the password itself.
    return fail(
      `${password.rawName} is not accepted: a password on the command line is visible to other users and kept in shell history. Set MEETING_HOST_PASSWORD instead${command === "token" || !command ? ' (or run "meeting-control token" in a terminal to be prompted)' : ""}.`,
    );
  }
  // `--token Basic <base64>` unquoted: the secret is the next word, which is not echoed.
  const token = options.find((t) => t.name === "token");
  if (/^basic$/i.test(token?.value ?? "")) {
    return fail(
      `${token?.rawName} "Basic <base64>" must be one argument: put it in quotes (or set MEETING_CONTROL_TOKEN)`,
    );
  }
  if (helpCommand || options.some((t) => t.name === "help")) {
    if (word !== undefined && !command) {
      return fail(`unknown command ${shown(word)}; must be one of ${quoted(COMMANDS)}`);
    }
    return { kind: "help", command };
  }
  if (options.some((t) => t.name === "version")) return { kind: "version" };
  if (first === undefined) return fail(`missing command; must be one of ${quoted(COMMANDS)}`);
  if (!command) return fail(`unknown command ${shown(first)}; must be one of ${quoted(COMMANDS)}`);

  const allowed = FLAGS[command];
  const values: Record<string, string | boolean> = {};
  for (const option of options) {
    if (!allowed.includes(option.name)) {
      return fail(
        `unknown flag ${option.rawName}; allowed: ${allowed.map((f) => `--${f}`).join(", ")}`,
      );
    }
    if ((STRING as readonly string[]).includes(option.name)) {
      // parseArgs takes the next word even when it is another flag (`--conference --json`); a
      // negative number (`--retries -1`) is a value, and refused as one.
      if (option.value === undefined || (!option.inlineValue && /^-(?!\d)/.test(option.value))) {
        return fail(`--${option.name} needs a value`);
      }
      // A second value would replace the first unseen (a script's default --conference, then
      // the user's): the meeting acted on must not depend on which came last. Neither is echoed.
      if (values[option.name] !== undefined)
        return fail(`--${option.name} is given twice; give it once`);
      values[option.name] = option.value;
    } else {
      if (option.value !== undefined) return fail(`--${option.name} takes no value`);
      values[option.name] = true;
    }
  }

  let action: string | undefined;
  let extra = positionals.slice(1);
  if (command !== "token") {
    const actions = ACTIONS[command];
    action = positionals[1];
    extra = positionals.slice(2);
    if (action === undefined) return fail(`missing action; must be one of ${quoted(actions)}`);
    if (!(actions as readonly string[]).includes(action)) {
      return fail(`action must be one of ${quoted(actions)}; got "${action}"`);
    }
  }
  if (extra.length > 0) return fail(`unexpected argument "${extra[0]}"`);

  const checked = invocation(command, action, values, json);
  return typeof checked === "string" ? fail(checked) : checked;
}
