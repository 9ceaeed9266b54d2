export interface StaticServer {
  /** The server's address, ending in "/". */
  url: string;
  /** Stops the server, open connections included. */
  close(): Promise<void>;
}

/**
 * Serves the files under `root` (a directory with an index.html) on `host` (127.0.0.1) and `port`
 * (0 picks a free one); rejects when index.html is missing or the port is taken.
 */
export function serveStatic(
  root: string,
  options?: { port?: number; host?: string },
): Promise<StaticServer>;

/** Starts `server` listening on `host` (127.0.0.1) and `port` (0 picks a free one). */
export function listen(
  server: import("node:http").Server,
  port?: number,
  host?: string,
): Promise<{
  /** `http://host:port`, without a trailing "/". */
  url: string;
  port: number;
  /** Stops the server, open connections included. */
  close(): Promise<void>;
}>;
