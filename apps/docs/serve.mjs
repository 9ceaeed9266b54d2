// `pnpm --filter @meeting-control/docs serve`: the rendered page (dist/) on DOCS_PORT (4000) and
// HOST (127.0.0.1), until Ctrl-C.
import { fileURLToPath } from "node:url";
import { serveStatic } from "@meeting-control/testkit/serve";

const port = Number(process.env.DOCS_PORT ?? 4000);
const host = process.env.HOST ?? "127.0.0.1";
serveStatic(fileURLToPath(new URL("./dist/", import.meta.url)), { port, host }).then(
  ({ url, close }) => {
    console.log(`API docs: ${url}  (Ctrl-C to stop; DOCS_PORT changes the port)`);
    const stop = () => close().then(() => process.exit(0));
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  },
  (error) => {
    console.error(`Could not serve the docs: ${error.message}`);
    process.exit(1);
  },
);
