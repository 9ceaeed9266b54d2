import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type MockServer, startMockServer } from "@meeting-control/mock";
import { type TypecheckResult, typecheck } from "@meeting-control/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Recorder, startRecorder } from "./recorder.js";
import { operation, operations } from "./spec.js";

// The docs' code samples (x-codeSamples in the spec) are real programs: the TypeScript ones are
// type-checked against the built client and run, the cURL ones are run, both against the mock.
const run = promisify(execFile);
const here = fileURLToPath(new URL("..", import.meta.url));
// The mock gives every answer a fresh request id of the service's form.
const REQUEST_ID = "[0-9a-f]{32}";

const samples = operations.flatMap((op) =>
  op.samples.map((s) => ({ ...s, operationId: op.operationId })),
);
const typescript = samples.filter((s) => s.lang === "TypeScript");
const shell = samples.filter((s) => s.lang === "Shell");

const hasCurl = await run("curl", ["--version"]).then(
  () => true,
  () => false,
);
const inCI = Boolean(process.env.CI) && process.env.CI !== "false";
if (!hasCurl && !inCI)
  console.warn("\n[code samples] SKIPPED the cURL samples: curl is not installed.\n");

let mock: MockServer;
// In front of the mock: what each sample sent.
let recorder: Recorder;
let dir: string;
const env = () => ({
  ...process.env,
  MEETING_CONTROL_BASE_URL: recorder.url,
  MEETING_CONTROL_TOKEN:
    "Basic Y25yYjQyNmNhMzgyMWY4YTE4ZTc4ZDU5ZGE1NzJhNDIxNjQ0YzUyZGZkOWE0NzMwMjk4",
  MEETING_HOST_PASSWORD: "example-host-password",
});

beforeAll(async () => {
  mock = await startMockServer({ port: 0 });
  recorder = await startRecorder(mock.url);
  // Inside the package, so "@meeting-control/client" resolves to the workspace's built client.
  dir = mkdtempSync(join(here, ".samples-"));
});
afterAll(async () => {
  await recorder?.close();
  await mock?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * The page shows an operation's first request example beside its code samples: the request a
 * sample just sent is that operation's, with that example's body.
 */
function expectFirstExampleSent(operationId: string): void {
  const { method, path, firstExample } = operation(operationId);
  const sent = recorder.requests.at(-1);
  expect(sent && { method: sent.method, path: sent.path }, operationId).toEqual({
    method: method.toUpperCase(),
    path,
  });
  if (firstExample) expect(JSON.parse(sent?.body ?? ""), operationId).toEqual(firstExample.value);
  else expect(sent?.body, operationId).toBe("");
}

describe("the docs' code samples", () => {
  it("every operation has a TypeScript and a cURL sample", () => {
    const ops = ["InviteOperateVideo", "InviteShare", "CreateConfToken"];
    expect(typescript.map((s) => s.operationId).sort()).toEqual([...ops].sort());
    expect(shell.map((s) => s.operationId).sort()).toEqual([...ops].sort());
  });

  // One tsc run for the samples and for a sample broken on purpose (each test below reads its
  // part), emitting JavaScript to run: tsc still emits every file when bad.ts fails.
  let checked: Promise<TypecheckResult> | undefined;
  const typechecked = () =>
    (checked ??= (async () => {
      writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
      const camera = typescript.find((s) => s.operationId === "InviteOperateVideo")?.source ?? "";
      const sources = Object.fromEntries([
        ...typescript.map((s) => [`src/${s.operationId}.ts`, s.source]),
        ["negative/bad.ts", camera.replace('action: "enable"', 'action: "on"')],
      ]);
      return typecheck(dir, sources, {
        noEmit: false,
        types: ["node"],
        rootDir: ".",
        outDir: "out",
      });
    })());
  const errors = async () => (await typechecked()).errors;

  it("the TypeScript samples type-check against the built client, and send the mock the example shown beside them", async () => {
    const outside = (await errors()).filter((line) => !line.includes("negative/bad.ts("));
    expect(outside, "tsc errors in the samples").toEqual([]);

    for (const s of typescript) {
      const { stdout } = await run(
        process.execPath,
        [join(dir, "out", "src", `${s.operationId}.js`)],
        { env: env(), timeout: 120_000 },
      );
      expect(stdout, s.operationId).toMatch(
        s.operationId === "CreateConfToken"
          ? /^role 1, valid until .* true$/m
          : new RegExp(`sent ${REQUEST_ID}`),
      );
      expectFirstExampleSent(s.operationId);
    }
  }, 300_000); // tsc may take its full 180 s on a loaded machine, then each sample runs

  it("a TypeScript sample with a wrong action would not compile", async () => {
    const bad = (await errors()).filter((line) => line.includes("negative/bad.ts("));
    expect(bad.join("\n")).toContain('"on"');
  }, 300_000);

  it.skipIf(!hasCurl && !inCI).each(shell.map((s) => [s.operationId, s] as const))(
    "the cURL sample of %s sends the example shown beside it and gets 200 from the mock",
    async (_, s) => {
      const { stdout } = await run("bash", ["-c", s.source], { env: env(), timeout: 120_000 });
      expect(stdout).toMatch(/^HTTP\/1\.1 200/);
      expect(stdout.toLowerCase()).toMatch(new RegExp(`x-request-id: ${REQUEST_ID}`));
      expectFirstExampleSent(s.operationId);
    },
  );
});
