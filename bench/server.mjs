// §2's server, run as its own process so its work does not share the bench's event loop.
// Answers every request 200 with an X-Request-Id and an empty body; prints its port as JSON on
// stdout; exits when the bench closes stdin (or dies), so it can never outlive the bench.
import { createServer } from "node:http";

let served = 0;
const server = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    served++;
    response.writeHead(200, { "X-Request-Id": `rt-${served}`, "Content-Length": "0" });
    response.end();
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0));
