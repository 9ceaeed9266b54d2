// Shared by the mock's tests: the mock's command in a child process, raw HTTP, and its RSS.
import { type ChildProcess, spawn } from "node:child_process";
import { request } from "node:http";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { expect, onTestFinished } from "vitest";

export const bin = fileURLToPath(new URL("../dist/bin.js", import.meta.url));
const gcProbe = fileURLToPath(new URL("./gc-probe.cjs", import.meta.url));
export const IDS = "conferenceID=986947855&participantID=4a5rg64ag5p8pvvnam1rr6m8lqra6a61";
export const VIDEO = `/v1/mmc/control/conferences/participants/video?${IDS}`;
export const SHARE = `/v1/mmc/control/conferences/participants/share/invite?${IDS}`;
export const TOKEN = "/v1/mmc/control/conferences/token?conferenceID=986947855";
export const AUTH = { "x-conference-authorization": "Basic Y25yYjQy" };
export const JSON_AUTH = { "content-type": "application/json", ...AUTH };

/** Resolves with the child's output once `pattern` shows in it; rejects if it exits first. */
export function outputMatching(child: ChildProcess, pattern: RegExp): Promise<string> {
  let out = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk;
      if (pattern.test(out)) resolve(out);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code, signal) =>
      reject(new Error(`exited (${signal ?? code}) before printing ${pattern}:\n${out}`)),
    );
  });
}

export const exitOf = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });

/**
 * `meeting-control-mock` in a child process on a free port, killed when the test ends (or, with
 * `{ keep: true }`, left to the caller to kill).
 */
export async function startBin(
  args: string[] = [],
  { node = process.execPath, keep = false, probe = false } = {},
) {
  // `probe`: with test/gc-probe.cjs preloaded, for rss().
  const flags = probe ? ["--expose-gc", "--require", gcProbe] : [];
  const child = spawn(node, [...flags, bin, "--port", "0", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (!keep)
    onTestFinished(() => {
      child.kill("SIGKILL");
    });
  try {
    const out = await outputMatching(child, /(Scenarios|Meetings):[\s\S]*\n\n/);
    const url = /Mock meeting-control API: (http:\/\/\S+)/.exec(out)?.[1] ?? "";
    expect(url, out).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    return { child, url, pid: child.pid ?? 0, out };
  } catch (error) {
    // The caller never gets the child to kill (with `keep`, in a beforeAll, say).
    child.kill("SIGKILL");
    throw error;
  }
}

/**
 * Memory of a mock started with `{ probe: true }`, in bytes, right after a full garbage
 * collection in it: its RSS, and what its JavaScript keeps (heap and Buffers).
 */
export function memory(child: ChildProcess): Promise<{ rss: number; kept: number }> {
  return new Promise((resolve) => {
    let out = "";
    const onData = (chunk: Buffer) => {
      out += chunk;
      const match = /gc-probe rss (\d+) kept (\d+)\n/.exec(out);
      if (!match) return;
      child.stderr?.off("data", onData);
      resolve({ rss: Number(match[1]), kept: Number(match[2]) });
    };
    child.stderr?.on("data", onData);
    child.kill("SIGUSR2");
  });
}

/** The status of a valid camera request, or 0 when nothing answers (connection refused). */
export const answers = (url: string) =>
  fetch(url + VIDEO, { method: "PUT", headers: JSON_AUTH, body: '{"status": 0}' }).then(
    async (r) => {
      await r.arrayBuffer();
      return r.status;
    },
    () => 0,
  );

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Writes `bytes` on a new connection and reads until the server closes it. Resolves with the
 * answer, or "closed" when the server closed the connection without one.
 */
export function raw(
  url: string,
  bytes: string | Buffer,
  end = true,
): Promise<RawAnswer | "closed"> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", () => {});
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      resolve(text ? parseAnswer(text) : "closed");
    });
    socket.write(bytes);
    if (end) socket.end();
  });
}

/**
 * A request to `url` with this `Host` header, as a page that reached the server under that name
 * sends it (fetch puts its own in); no body. Resolves with the answer.
 */
export function atHost(url: string, host: string, method = "GET"): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk) => chunks.push(chunk));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers as Record<string, string>,
          body: Buffer.concat(chunks).toString("utf8"),
        }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

export function parseAnswer(text: string): RawAnswer {
  const [head = "", ...rest] = text.split("\r\n\r\n");
  const [statusLine = "", ...lines] = head.split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const at = line.indexOf(":");
    headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
  }
  return { status: Number(statusLine.split(" ")[1]), headers, body: rest.join("\r\n\r\n") };
}

/**
 * Sends a body of `size` bytes in 1 MB chunks with node:http, stopping at the first answer or
 * error. `chunked` leaves out Content-Length, so the server cannot refuse it up front.
 */
export function upload(url: string, size: number, chunked = false): Promise<RawAnswer | "closed"> {
  return new Promise((resolve) => {
    const req = request(url + VIDEO, {
      method: "PUT",
      agent: false,
      headers: { ...JSON_AUTH, ...(chunked ? {} : { "content-length": String(size) }) },
    });
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    let sent = 0;
    let settled = false;
    const pump = () => {
      while (!settled && sent < size) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!settled) req.end();
    };
    req.on("response", (res) => {
      settled = true;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => {
        body += d;
      });
      const done = () => {
        req.destroy();
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers as Record<string, string>,
          body,
        });
      };
      res.on("end", done);
      res.on("error", done);
      res.on("aborted", done);
    });
    req.on("error", () => {
      if (!settled) {
        settled = true;
        resolve("closed");
      }
    });
    pump();
  });
}

/** An answer the mock made itself: the service's error shape, with a fresh request id. */
export function expectOwnShape(answer: RawAnswer, status: number, seen: Set<string>) {
  expect(answer.status, answer.body).toBe(status);
  expect(answer.headers["content-type"]).toMatch(/^application\/json/);
  expect(JSON.parse(answer.body)).toEqual({
    error_code: expect.any(String),
    error_msg: expect.any(String),
  });
  const id = answer.headers["x-request-id"] ?? "";
  expect(id).toMatch(/^[0-9a-f]{32}$/);
  expect(seen.has(id), `X-Request-Id ${id} seen before`).toBe(false);
  seen.add(id);
}
