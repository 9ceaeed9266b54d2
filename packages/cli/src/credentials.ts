// Where camera, share and token get their token or host password: flag, variable or prompt.
import type { SecretSource } from "@meeting-control/client";
import { type Invocation, UsageError } from "./args.js";
import { printable, type Sink } from "./output.js";
import { promptHidden } from "./prompt.js";
import type { RunIo } from "./run.js";

export type Credentials = { token: SecretSource } | { hostPassword: SecretSource };

/** Thrown by the prompt's `hostPassword` function: `ask` prompts, with no time limit. */
export class PasswordNeeded extends Error {
  override name = "PasswordNeeded";
  constructor(readonly ask: () => Promise<string>) {
    super("the host password is to be asked for");
  }
}

/**
 * The client's credential options for `invocation`. Records in `names` which flag or variable
 * each came from, and pushes a typed password onto `secrets`.
 */
export function credentialsFor(
  invocation: Invocation,
  io: Pick<RunIo, "env" | "stdin">,
  names: Record<string, string>,
  secrets: (string | undefined)[],
  stderr: Sink,
): Credentials {
  const password = io.env.MEETING_HOST_PASSWORD || undefined;
  if (invocation.command === "token") {
    if (password) return { hostPassword: password };
    const { stdin } = io;
    if (!stdin?.isTTY) {
      throw new UsageError(
        "no host password: set MEETING_HOST_PASSWORD (standard input is not a terminal, so there is no prompt)",
      );
    }
    names.hostPassword = "the host password";
    // The client calls this once it has checked everything else, so a typo in a flag never costs
    // the user a typed password. It asks nothing itself: the client gives a password function
    // `--timeout` ms, a limit for a vault, not for a person. run() prompts on PasswordNeeded and
    // calls again with what was typed.
    return {
      hostPassword: (conferenceID) => {
        throw new PasswordNeeded(async () => {
          const typed = await promptHidden(
            // Escaped as every ID the CLI prints: a carriage return in it would rewrite the line.
            `Host password for conference ${printable(conferenceID)}: `,
            stdin,
            stderr,
          );
          secrets.push(typed);
          return typed;
        });
      },
    };
  }
  const token = invocation.token ?? (io.env.MEETING_CONTROL_TOKEN || undefined);
  names.token = invocation.token === undefined ? "MEETING_CONTROL_TOKEN" : "--token";
  if (token !== undefined) return { token };
  if (password) return { hostPassword: password };
  throw new UsageError(
    "no token: pass --token or set MEETING_CONTROL_TOKEN (or set MEETING_HOST_PASSWORD to let the CLI get one)",
  );
}
