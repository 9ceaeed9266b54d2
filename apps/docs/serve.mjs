// Serves the rendered docs (dist/) on loopback and prints the URL. `pnpm start` runs it.
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".png": "image/png",
  ".json": "application/json",
};
const root = fileURLToPath(new URL("./dist/", import.meta.url));

/**
 * @param {{ port?: number, host?: string }} [options]
 * @returns {Promise<{ url: string, close(): Promise<void> }>}
 */
export function serveDocs({ port = 4000, host = "127.0.0.1" } = {}) {
  if (!existsSync(join(root, "index.html"))) {
    return Promise.reject(
      new Error(`No docs to serve: ${join(root, "index.html")} is missing. Run the build first.`),
    );
  }
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const file = normalize(join(root, path.endsWith("/") ? `${path}index.html` : path));
    if (
      !file.startsWith(root.endsWith(sep) ? root : root + sep) ||
      !existsSync(file) ||
      !statSync(file).isFile()
    ) {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not found\n");
      return;
    }
    res.writeHead(200, {
      "content-type":
        TYPES[/** @type {keyof TYPES} */ (extname(file))] ?? "application/octet-stream",
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const address = server.address();
      const actual = typeof address === "object" && address ? address.port : port;
      resolve({
        url: `http://${host.includes(":") ? `[${host}]` : host}:${actual}/`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const port = Number(process.env.DOCS_PORT ?? 4000);
  const host = process.env.HOST ?? "127.0.0.1";
  serveDocs({ port, host }).then(
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
}
