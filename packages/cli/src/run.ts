import {
  createMeetingControlClient,
  InvalidInputError,
  MeetingControlError,
} from "@meeting-control/client";
import pkg from "../package.json" with { type: "json" };
import { parse, UsageError } from "./args.js";
import { credentialsFor, PasswordNeeded } from "./credentials.js";
import { DEFAULT_REGION, REGIONS } from "./facts.js";
import { help } from "./help.js";
import {
  controlSuccess,
  type Failure,
  failureHuman,
  failureJson,
  type Sink,
  tokenSuccess,
} from "./output.js";
import { type Input, PromptCancelledError } from "./prompt.js";
import { redacting, secretArguments } from "./secrets.js";

export interface RunIo {
  env: Record<string, string | undefined>;
  stdout: Sink;
  stderr: Sink;
  /** Read only by `token`, for the hidden prompt, and only when it is a terminal. */
  stdin?: Input;
  /** A `fetch` for the client (tests); the global one by default. */
  fetch?: (request: Request) => Promise<Response>;
  /** The client's backoff (tests inject short delays); the client's default otherwise. */
  retryDelayMs?: { initial?: number; max?: number };
}

export const MOCK_URL = "http://127.0.0.1:4010";

/** Runs one command line and resolves to its exit code: 0 done, 1 API or network error, 2 usage. */
export async function run(argv: readonly string[], io: RunIo): Promise<number> {
  const parsed = parse(argv);
  const command =
    parsed.kind === "run" || parsed.kind === "help"
      ? parsed.command
      : parsed.kind === "usage"
        ? parsed.error.command
        : undefined;
  // A safety net under "never print a secret": every write drops the secrets this run was given.
  const secrets = [
    ...secretArguments(argv),
    io.env.MEETING_HOST_PASSWORD,
    command === "token" ? undefined : io.env.MEETING_CONTROL_TOKEN,
  ];
  const stdout = redacting(io.stdout, secrets);
  const stderr = redacting(io.stderr, secrets);
  const prefix = `meeting-control${command ? ` ${command}` : ""}`;
  const json = (parsed.kind === "run" || parsed.kind === "usage") && parsed.json;

  switch (parsed.kind) {
    case "help":
      stdout.write(help(parsed.command));
      return 0;
    case "version":
      stdout.write(`${pkg.version}\n`);
      return 0;
    case "usage":
      report({ error: parsed.error });
      return 2;
  }

  const baseUrl = parsed.mock ? io.env.MEETING_CONTROL_MOCK_URL || MOCK_URL : parsed.baseUrl;
  const where = origin(baseUrl ?? REGIONS[parsed.region ?? DEFAULT_REGION]) ?? "no URL";
  /** Where each client option came from, to name it in a message. */
  const names: Record<string, string> = {
    conferenceID: "--conference",
    participantID: "--participant",
    baseUrl: parsed.mock ? "MEETING_CONTROL_MOCK_URL" : "--base-url",
    region: "--region",
    timeoutMs: "--timeout",
    maxRetries: "--retries",
    hostPassword: "MEETING_HOST_PASSWORD",
    'headers["Prefer"]': "MEETING_CONTROL_PREFER",
  };
  try {
    const credentials = credentialsFor(parsed, io, names, secrets, stderr);
    const prefer = io.env.MEETING_CONTROL_PREFER;
    const client = createMeetingControlClient({
      ...credentials,
      baseUrl,
      region: parsed.region,
      timeoutMs: parsed.timeoutMs,
      maxRetries: parsed.maxRetries,
      retryDelayMs: io.retryDelayMs,
      // Mock-only aid: picks one of the mock's named answers (see the README).
      headers: prefer ? { Prefer: prefer } : undefined,
      fetch: io.fetch,
    });
    const ids = { conferenceID: parsed.conference, participantID: parsed.participant ?? "" };
    if (parsed.command === "token") {
      const conferenceID = parsed.conference;
      const result = await client.createConfToken({ conferenceID }).catch(async (error) => {
        if (!(error instanceof PasswordNeeded)) throw error;
        return client.createConfToken({ conferenceID, hostPassword: await error.ask() });
      });
      // The new token is printed whole, even where a secret of this run is inside it.
      stdout.write(tokenSuccess(result, json), result.token);
    } else {
      const { requestId } =
        parsed.command === "camera"
          ? await client.inviteCamera({ ...ids, action: parsed.action as "enable" | "disable" })
          : await client.inviteScreenShare({
              ...ids,
              action: parsed.action as "invite" | "cancel",
            });
      stdout.write(controlSuccess(parsed, requestId, json));
    }
    return 0;
  } catch (error) {
    const [code, failure] = classify(error, names, baseUrl);
    report(failure, where);
    return code;
  }

  function report(failure: Failure, where = "") {
    if (json) {
      stdout.write(failureJson(failure));
    } else {
      stderr.write(failureHuman(failure, prefix, where));
    }
  }
}

/** The exit code of an error, and how to show it. */
function classify(
  error: unknown,
  names: Record<string, string>,
  baseUrl: string | undefined,
): [number, Failure] {
  if (error instanceof UsageError) return [2, { error }];
  if (error instanceof InvalidInputError) {
    return [2, { error, message: rename(error, names, baseUrl) }];
  }
  if (error instanceof PromptCancelledError) return [130, { error }];
  if (error instanceof MeetingControlError) return [1, { error }];
  const unexpected = error instanceof Error ? error : new Error(String(error));
  return [1, { error: unexpected, message: `unexpected error: ${unexpected.message}` }];
}

/** The client's message with its option name replaced by the flag or variable the user set. */
function rename(error: InvalidInputError, names: Record<string, string>, baseUrl?: string) {
  const name = names[error.field] ?? error.field;
  // Only the https:// refusal is reworded: the others (user:password@, a query or fragment)
  // keep the client's message, which does not show the URL.
  if (error.message.startsWith("baseUrl must be https://")) {
    // Only what a URL shows of itself (see origin): a mistyped URL may hold a password.
    const shown = origin(baseUrl ?? "");
    return `${name} must be an https:// URL (http:// only to a loopback host, such as ${MOCK_URL}); got ${shown ? `"${shown}"` : "text that is no URL with a host (not shown)"}`;
  }
  // The client speaks of a header; the user set a variable's value.
  if (error.field === 'headers["Prefer"]') {
    return `${name} must be printable ASCII on one line (it is sent as the Prefer header)`;
  }
  return error.message.startsWith(error.field)
    ? `${name}${error.message.slice(error.field.length)}`
    : error.message;
}

/**
 * A URL's protocol, host and path, without user info or query; `undefined` for text that is no URL
 * with a host, since "https//user:secret@host" does not parse and "alice:s3cret@host" parses as
 * the scheme alice: and a path.
 */
function origin(url: string) {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (!parsed?.host) return undefined;
  const { protocol, host, pathname } = parsed;
  return `${protocol}//${host}${pathname === "/" ? "" : pathname}`;
}
