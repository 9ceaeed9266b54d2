import { createInterface } from "node:readline";
import { Writable } from "node:stream";

/** The user pressed Ctrl-C at a prompt: exit code 130, as a shell reports an interrupt. */
export class PromptCancelledError extends Error {
  override name = "PromptCancelledError";
}

export type Input = NodeJS.ReadableStream & { isTTY?: boolean };

/**
 * Asks for a secret on a terminal without echoing it: readline does the line editing in raw
 * mode and writes its echo to a stream that discards it. Ctrl-D (end of input) gives "".
 */
export function promptHidden(
  question: string,
  input: Input,
  output: { write(text: string): unknown },
): Promise<string> {
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input, output: discard, terminal: true, historySize: 0 });
  output.write(question);
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      output.write("\n");
      rl.close();
      finish();
    };
    rl.once("line", (line) => settle(() => resolve(line)));
    rl.once("SIGINT", () => settle(() => reject(new PromptCancelledError("cancelled"))));
    rl.once("close", () => settle(() => resolve("")));
  });
}
