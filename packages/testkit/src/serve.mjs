// Static file serving on loopback, for `pnpm start` (the docs and the demo console), the docs'
// `serve` script and the demo's browser test. Plain JavaScript: `pnpm start` runs it under Node.
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
};

/**
 * Serves the files under `root` (a directory with an index.html).
 * @param {string} root
 * @param {{ port?: number, host?: string }} [options]
 * @returns {Promise<{ url: string, close(): Promise<void> }>}
 */
export function serveStatic(root, { port = 0, host = "127.0.0.1" } = {}) {
  const base = root.endsWith(sep) ? root : root + sep;
  if (!existsSync(join(base, "index.html"))) {
    return Promise.reject(
      new Error(`Nothing to serve: ${join(base, "index.html")} is missing. Run the build first.`),
    );
  }
  const server = createServer((req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    } catch {
      // A malformed escape ("/%E0%A4%A"): the server stays up for everyone else.
      res.writeHead(400, { "content-type": "text/plain" }).end("Bad request\n");
      return;
    }
    const file = normalize(join(base, path.endsWith("/") ? `${path}index.html` : path));
    if (!file.startsWith(base) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not found\n");
      return;
    }
    const type = TYPES[/** @type {keyof TYPES} */ (extname(file))] ?? "application/octet-stream";
    res.writeHead(200, { "content-type": type });
    createReadStream(file)
      .on("error", () => res.destroy())
      .pipe(res);
  });
  return listen(server, port, host).then(({ url, close }) => ({ url: `${url}/`, close }));
}

/**
 * Starts `server` listening on `host` and `port` (0: a free one).
 * @param {import("node:http").Server} server
 * @returns {Promise<{ url: string, port: number, close(): Promise<void> }>}
 */
export function listen(server, port = 0, host = "127.0.0.1") {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const address = server.address();
      const actual = typeof address === "object" && address ? address.port : port;
      resolve({
        url: `http://${host.includes(":") ? `[${host}]` : host}:${actual}`,
        port: actual,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
