import { run } from "./run.js";

// `| head` closing the pipe early is not an error of ours. Output that cannot be written (a full
// disk) is one line on stderr and exit 1, not a stack.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") return;
    if (stream === process.stdout)
      process.stderr.write(
        `meeting-control: could not write the output: ${error.code ?? "error"}\n`,
      );
    process.exit(1);
  });
}

const code = await run(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
});

// Exit once the output is flushed: idle keep-alive sockets or stdin must not hold the process.
await Promise.all(
  [process.stdout, process.stderr].map(
    (stream) => new Promise((resolve) => stream.write("", resolve)),
  ),
);
process.exit(code);
