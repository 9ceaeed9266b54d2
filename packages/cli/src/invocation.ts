// The flag values of a command line, checked: what `run` hands the client.
import type { Region } from "@meeting-control/client";
import { type Command, type Invocation, quoted } from "./args.js";
import { CONFERENCE_ID, REGION_NAMES } from "./facts.js";

/**
 * The `Invocation` of `command` with the flag `values` parseArgs read, or the message of the
 * first usage error among them.
 */
export function invocation(
  command: Command,
  action: string | undefined,
  values: Record<string, string | boolean>,
  json: boolean,
): Invocation | string {
  const string = (name: string) => values[name] as string | undefined;
  const conference = string("conference");
  if (conference === undefined) return `missing --conference ID (the ${CONFERENCE_ID})`;
  const participant = string("participant");
  if (command !== "token" && participant === undefined) return "missing --participant ID";
  const region = string("region");
  if (region !== undefined && !(REGION_NAMES as string[]).includes(region)) {
    return `--region must be one of ${quoted(REGION_NAMES)}; got "${region}"`;
  }
  const timeout = string("timeout");
  const timeoutMs = timeout === undefined ? undefined : Number(timeout);
  if (
    timeoutMs !== undefined &&
    (!/^\d+$/.test(timeout ?? "") || timeoutMs < 1 || timeoutMs >= 2 ** 31)
  ) {
    return `--timeout must be a whole number of milliseconds from 1 to ${2 ** 31 - 1}; got "${timeout}"`;
  }
  const retries = string("retries");
  const maxRetries = retries === undefined ? undefined : Number(retries);
  if (maxRetries !== undefined && (!/^\d+$/.test(retries ?? "") || maxRetries > 10)) {
    return `--retries must be a whole number from 0 to 10; got "${retries}"`;
  }
  const where = ["base-url", "mock", "region"].filter((name) => name in values);
  if (where.length > 1) {
    return `use only one of --base-url, --mock and --region; got ${where.map((f) => `--${f}`).join(" and ")}`;
  }

  return {
    kind: "run",
    command,
    action,
    conference,
    participant,
    token: string("token"),
    baseUrl: string("base-url"),
    region: region as Region | undefined,
    mock: values.mock === true,
    timeoutMs,
    maxRetries,
    json,
  };
}
