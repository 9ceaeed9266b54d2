import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { type MockServer, startMockServer } from "@meeting-control/mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONFERENCE, IDS, PARTICIPANT, REQUEST_ID } from "./helpers.js";

/** The mock gives every answer a fresh request id of the service's form. */
const MOCK_ID = /[0-9a-f]{32}/;

// The built bin, as a user runs it: build it first (`p exec tsup`; turbo's test task does).
const BIN = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the bin with only PATH and `env` set, stdin closed at once (not a terminal). */
function bin(args: string[], env: Record<string, string> = {}, file = process.execPath) {
  return new Promise<Result>((resolve, reject) => {
    const child = spawn(file, file === BIN ? args : [BIN, ...args], {
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["pipe", "pipe", "pipe"],
      timeout: 100_000, // kills a hung run before vitest's 120 s; no run comes near it
    });
    child.stdin.end();
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

let mock: MockServer | undefined;
let gateway: Server | undefined;
let gatewayUrl = "";
let gatewayHits = 0;

beforeAll(async () => {
  if (!existsSync(BIN))
    throw new Error(`${BIN} is missing: run "p exec tsup" in packages/cli first`);
  gateway = createServer((_, res) => {
    gatewayHits++;
    // Retry-After: 0, so the client's retries come at once instead of after its backoff.
    res.writeHead(500, {
      "content-type": "text/html",
      "x-request-id": REQUEST_ID,
      "retry-after": "0",
    });
    res.end("<html><body><h1>502 Bad Gateway</h1></body></html>");
  });
  await new Promise<void>((resolve) => gateway?.listen(0, "127.0.0.1", resolve));
  gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
  mock = await startMockServer({ port: 0 });
});

afterAll(async () => {
  await Promise.allSettled([
    mock?.close(),
    new Promise<void>((resolve) => {
      gateway?.closeAllConnections();
      gateway ? gateway.close(() => resolve()) : resolve();
    }),
  ]);
});

const TOKEN = "SECRET-TOKEN-7f3a9c";
const PASSWORD = "SECRET-PASSWORD-51be2d";
const noSecrets = ({ stdout, stderr }: Result) => {
  for (const secret of [TOKEN, PASSWORD]) expect(stdout + stderr).not.toContain(secret);
};

describe("the built bin", () => {
  it("is an executable ESM file with a node shebang, and --help works", async () => {
    expect(readFileSync(BIN, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    expect(statSync(BIN).mode & 0o111).not.toBe(0);
    const { code, stdout, stderr } = await bin(["--help"], {}, BIN);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toContain("Examples:");
    expect(stdout).toContain("meeting-control camera <enable|disable>");
  });

  it.runIf(existsSync("/dev/full"))(
    "output that cannot be written (a full disk): exit 1 and one line on stderr, no stack",
    async () => {
      const full = openSync("/dev/full", "w");
      const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, "--help"], {
          env: { PATH: process.env.PATH ?? "" },
          stdio: ["ignore", full, "pipe"],
          timeout: 100_000,
        });
        let stderr = "";
        child.stderr?.on("data", (chunk) => (stderr += chunk));
        child.on("close", (code) => resolve({ code, stderr }));
      }).finally(() => closeSync(full));
      expect(result).toEqual({
        code: 1,
        stderr: "meeting-control: could not write the output: ENOSPC\n",
      });
    },
  );

  it("camera enable against the mock: exit 0 and the request id", async () => {
    const result = await bin(
      ["camera", "enable", ...IDS, "--base-url", mock?.url ?? "", "--token", TOKEN],
      {
        MEETING_HOST_PASSWORD: PASSWORD,
      },
    );
    expect(result).toEqual({
      code: 0,
      stdout: expect.stringMatching(
        new RegExp(
          `^Asked participant ${PARTICIPANT} to turn the camera on \\(request id ${MOCK_ID.source}\\)\n$`,
        ),
      ),
      stderr: "",
    });
  });

  it("camera enable through the mock's proxy mode: unchanged, and within the contract", async () => {
    const proxy = await startMockServer({ port: 0, proxy: mock?.url ?? "" });
    try {
      const result = await bin([
        "camera",
        "enable",
        ...IDS,
        "--base-url",
        proxy.url,
        "--token",
        TOKEN,
      ]);
      expect(result).toMatchObject({ code: 0, stderr: "" });
      expect(result.stdout).toMatch(new RegExp(`\\(request id ${MOCK_ID.source}\\)\n$`));
      expect(proxy.report()).toMatchObject({ forwarded: 1, left: 0, refused: 0 });
    } finally {
      await proxy.close();
    }
  });

  it("share cancel against the mock (--mock, MEETING_CONTROL_MOCK_URL), in JSON", async () => {
    const result = await bin(["share", "cancel", ...IDS, "--mock", "--json"], {
      MEETING_CONTROL_MOCK_URL: mock?.url ?? "",
      MEETING_CONTROL_TOKEN: TOKEN,
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: true,
      operation: "InviteShare",
      requestId: expect.stringMatching(MOCK_ID),
    });
    noSecrets(result);
  });

  it("camera with only MEETING_HOST_PASSWORD gets a token from the mock first", async () => {
    const result = await bin(["camera", "disable", ...IDS, "--base-url", mock?.url ?? ""], {
      MEETING_HOST_PASSWORD: PASSWORD,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("to turn the camera off");
    noSecrets(result);
  });

  it("token with MEETING_HOST_PASSWORD prints the token, expiry and role", async () => {
    const result = await bin(["token", "--conference", CONFERENCE, "--base-url", mock?.url ?? ""], {
      MEETING_HOST_PASSWORD: PASSWORD,
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(
      /^token: {6}7e4c72a1\.\.\.\nexpires: {4}\d{4}-\d\d-\d\dT[\d:.]+Z\nrole: {7}host\nrequest id: \S+\n$/,
    );
    noSecrets(result);
  });

  it("an error answer picked with MEETING_CONTROL_PREFER: exit 1, code and request id on stderr", async () => {
    for (const json of [false, true]) {
      const result = await bin(
        ["camera", "enable", ...IDS, "--base-url", mock?.url ?? "", ...(json ? ["--json"] : [])],
        {
          MEETING_CONTROL_TOKEN: TOKEN,
          MEETING_HOST_PASSWORD: PASSWORD,
          MEETING_CONTROL_PREFER: "code=403, example=confNotSupportInviteOpenVideo",
        },
      );
      expect(result.code).toBe(1);
      noSecrets(result);
      if (json) {
        expect(JSON.parse(result.stdout).error).toMatchObject({
          status: 403,
          code: "MMC.111072117",
          serviceMessage: "CONF_NOT_SUPPORT_INVITE_OPEN_VIDEO",
          requestId: expect.stringMatching(MOCK_ID),
        });
      } else {
        expect(result.stdout).toBe("");
        expect(result.stderr).toContain("HTTP 403");
        expect(result.stderr).toContain("MMC.111072117");
        expect(result.stderr).toContain("CONF_NOT_SUPPORT_INVITE_OPEN_VIDEO");
        expect(result.stderr).toMatch(new RegExp(`request id: +${MOCK_ID.source}`));
      }
    }
  });

  it("a gateway's HTML 500: exit 1 with the status and request id", async () => {
    const before = gatewayHits;
    const result = await bin([
      "share",
      "invite",
      ...IDS,
      "--base-url",
      gatewayUrl,
      "--token",
      TOKEN,
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("HTTP 500");
    expect(result.stderr).toContain(`request id:      ${REQUEST_ID}`);
    expect(gatewayHits - before).toBe(3); // the first attempt and the client's two retries
    noSecrets(result);
  });

  it("a refused connection: exit 1", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    // --retries 0: the retries of a network error are the client's, tested in-process.
    const result = await bin(
      ["camera", "enable", ...IDS, "--base-url", url, "--json", "--retries", "0"],
      { MEETING_CONTROL_TOKEN: TOKEN },
    );
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).error).toMatchObject({ name: "NetworkError" });
    expect(result.stdout).toContain("ECONNREFUSED");
    noSecrets(result);
  });

  it("token without MEETING_HOST_PASSWORD and stdin not a terminal: exit 2 at once, no prompt", async () => {
    // A prompt would wait for input until the spawn's time limit killed it (exit code null).
    const result = await bin(["token", "--conference", CONFERENCE, "--base-url", mock?.url ?? ""]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("no host password: set MEETING_HOST_PASSWORD");
    expect(result.stderr).not.toContain("Host password for");
  });

  it("usage errors exit 2 without printing the secrets", async () => {
    for (const args of [
      ["camera", "on", ...IDS, "--token", TOKEN],
      ["token", "--conference", CONFERENCE, "--password", PASSWORD],
      ["token", "--conference", CONFERENCE, "--host-password", PASSWORD, "--json"],
    ]) {
      const result = await bin(args, { MEETING_HOST_PASSWORD: PASSWORD });
      expect(result.code).toBe(2);
      noSecrets(result);
    }
  });
});
