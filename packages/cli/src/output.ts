import {
  ApiError,
  type ConfToken,
  InvalidInputError,
  MeetingControlError,
  type OperationName,
} from "@meeting-control/client";
import { ERROR_CODES } from "@meeting-control/client/error-codes";
import type { Invocation } from "./args.js";

export interface Sink {
  /** Writes `text`; a redacting sink leaves `keep` whole in it (see `redacting`). */
  write(text: string, keep?: string): unknown;
  isTTY?: boolean;
}

/**
 * `text` with its control characters (C0 and C1, line breaks included) written as `\u001b`, and
 * its invisible format characters (zero-width spaces, a soft hyphen, bidi overrides) and Unicode
 * line separators the same way: what a server says can neither move the cursor, forge a line of
 * the CLI's own, reorder what a terminal shows, nor hide a word between invisible characters.
 */
export const printable = (text: string) =>
  text.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: they are what it escapes
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Cf}]/gu,
    (c) => {
      const code = c.codePointAt(0) as number;
      return code > 0xffff
        ? `\\u{${code.toString(16)}}`
        : `\\u${code.toString(16).padStart(4, "0")}`;
    },
  );

/** The operation each command calls. */
export const OPERATIONS = {
  camera: "InviteOperateVideo",
  share: "InviteShare",
  token: "CreateConfToken",
} as const;

export function controlSuccess(
  invocation: Invocation,
  requestId: string | undefined,
  json: boolean,
): string {
  const { command, action, conference, participant } = invocation;
  if (json) {
    return `${JSON.stringify({
      ok: true,
      operation: OPERATIONS[command as keyof typeof OPERATIONS],
      requestId: requestId ?? null,
      conferenceID: conference,
      participantID: participant,
      action,
    })}\n`;
  }
  // The ID as given, escaped like a server's words: one from a participant list may hold
  // anything, and must not move the cursor or forge a line.
  const who = printable(participant ?? "");
  const done = {
    enable: `Asked participant ${who} to turn the camera on`,
    disable: `Asked participant ${who} to turn the camera off`,
    invite: `Invited participant ${who} to share a screen`,
    cancel: `Cancelled the screen-share invitation of participant ${who}`,
  }[action as "enable"];
  return `${done} (${requestId ? `request id ${printable(requestId)}` : "no request id"})\n`;
}

/** How deep `--json` shows an answer's values: what nests deeper is replaced by NESTED. */
const MAX_DEPTH = 64;
const NESTED = `(nested deeper than ${MAX_DEPTH} levels: not shown)`;

/**
 * `value` cut at MAX_DEPTH levels: an answer nested thousands deep overflowed the stack of the
 * redaction and of JSON.stringify, and `--json` printed no JSON.
 */
const shallow = (value: unknown, depth = 0): unknown =>
  value === null || typeof value !== "object"
    ? value
    : depth >= MAX_DEPTH
      ? NESTED
      : Array.isArray(value)
        ? value.map((v) => shallow(v, depth + 1))
        : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shallow(v, depth + 1)]));

export function tokenSuccess(result: ConfToken, json: boolean): string {
  const { requestId, expiresAt, ...fields } = result;
  if (json) {
    const own = { ok: true, operation: OPERATIONS.token, requestId: requestId ?? null };
    // The answer's fields between the CLI's keys and expiresAt; the CLI's own keys win over the
    // answer's (a body with `"ok": false` at its top level, say).
    const out = { ...own, ...(shallow(fields) as object), expiresAt: expiresAt.toISOString() };
    return `${JSON.stringify(Object.assign(out, own))}\n`;
  }
  // The spec has role as optional: an answer without one shows `(none)`, not `undefined`.
  const role =
    fields.role === undefined
      ? "(none)"
      : ({ 0: "participant", 1: "host" }[fields.role as 0 | 1] ?? String(fields.role));
  return [
    `token:      ${fields.token}`,
    `expires:    ${expiresAt.toISOString()}`,
    `role:       ${printable(role)}`,
    `request id: ${requestId === undefined ? "(none)" : printable(requestId)}`,
    "",
  ].join("\n");
}

export interface Failure {
  error: Error;
  /** The message to show, when it differs from the error's (a field renamed to its flag). */
  message?: string;
}

/** `{ ok: false, error }` with every key present, `null` when it does not apply. */
export function failureJson({ error, message }: Failure): string {
  const api = error instanceof ApiError ? error : undefined;
  const operation: OperationName | undefined =
    error instanceof MeetingControlError ? error.operation : undefined;
  return `${JSON.stringify({
    ok: false,
    error: {
      name: error.name,
      // An ApiError's, or a RedirectError's 3xx.
      status: (error as { status?: number }).status ?? null,
      code: api?.code ?? null,
      serviceMessage: api?.serviceMessage ?? null,
      requestId: (error as MeetingControlError).requestId ?? null,
      operation: operation ?? null,
      message: describe({ error, message }),
    },
  })}\n`;
}

/** The innermost message of a `cause` chain: "connect ECONNREFUSED 127.0.0.1:1" under "fetch failed". */
function rootCause(error: unknown): string | undefined {
  let current = (error as { cause?: unknown }).cause;
  let message: string | undefined;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    message = current.message;
    current = current.cause;
  }
  return message;
}

/** The message, with the root cause of a network failure ("fetch failed" says little). */
function describe({ error, message }: Failure) {
  const text = message ?? error.message;
  const cause = error instanceof ApiError ? undefined : rootCause(error);
  return cause && !text.includes(cause) ? `${text} (${cause})` : text;
}

export function failureHuman({ error, message }: Failure, prefix: string, where: string): string {
  if (error instanceof ApiError) {
    const line = (label: string, value: string | undefined, none = "(none)") =>
      `  ${`${label}:`.padEnd(17)}${value === undefined ? none : printable(value)}`;
    const verb = error.status >= 400 && error.status < 500 ? "refused" : "failed";
    const meaning =
      error.code && Object.hasOwn(ERROR_CODES, error.code)
        ? ERROR_CODES[error.code]?.summary
        : undefined;
    return [
      `${prefix}: the service ${verb} ${error.operation} with HTTP ${error.status}`,
      line("status", String(error.status)),
      line("code", error.code, "(none: the body was not the service's JSON)"),
      line("service message", error.serviceMessage),
      line("request id", error.requestId),
      // What the spec says the code means (the summary of its example).
      ...(meaning ? [line("meaning", meaning)] : []),
      "",
    ].join("\n");
  }
  if (error instanceof InvalidInputError || error.name === "UsageError") {
    const command = prefix.split(" ")[1];
    return `${prefix}: ${printable(message ?? error.message)}\nRun "meeting-control ${command ? `${command} ` : ""}--help" for usage and examples.\n`;
  }
  const reach =
    error.name === "NetworkError" || error.name === "RequestTimeoutError"
      ? `\n  could not get an answer from ${where}`
      : "";
  const requestId = (error as MeetingControlError).requestId;
  return `${prefix}: ${printable(describe({ error, message }))}${reach}${requestId ? `\n  request id: ${printable(requestId)}` : ""}\n`;
}
