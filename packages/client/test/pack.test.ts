// What a user gets from npm: the packed package installed in a project outside the workspace
// (packed.ts), imported from ESM, required from CommonJS, and type-checked. runtimes.test.ts
// runs it on other runtimes.
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { nodeMatrix, type TypecheckResult, typecheck } from "@meeting-control/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exec, installPacked } from "./packed.js";
import { json, loopbackServer } from "./server.js";

const REQUEST_ID = "f78b007ec2dabf1498620131c7bc19e0";
const TOKEN = "stbaf8fa2ea8-example";
// This machine's Node, and in CI also Node 22 and 24 (official binaries from the npm registry).
const NODES = await nodeMatrix();

const consumerScript = (importLine: string) => `${importLine}

const client = createMeetingControlClient({
  baseUrl: process.env.BASE_URL,
  token: ${JSON.stringify(TOKEN)},
  maxRetries: 0,
});
const main = async () => {
  const { requestId } = await client.inviteCamera({
    conferenceID: "986947855",
    participantID: "4a5rg64ag5p8pvvnam1rr6m8lqra6a61",
    action: "enable",
  });
  console.log("requestId=" + requestId);
  try {
    await client.inviteCamera({ conferenceID: "986947855", participantID: "locked", action: "disable" });
  } catch (error) {
    console.log("error=" + [error instanceof MeetingControlError, error.name, error.status, error.code]);
  }
};
main();
`;

const goodCall = `const client = createMeetingControlClient({
  baseUrl: "http://127.0.0.1:4010",
  token: ${JSON.stringify(TOKEN)},
});
export const invite = (): Promise<ControlResult> =>
  client.inviteScreenShare({
    conferenceID: "986947855",
    participantID: "4a5rg64ag5p8pvvnam1rr6m8lqra6a61",
    action: "invite",
  });
export const isOurs = (error: unknown): string | undefined =>
  error instanceof MeetingControlError ? error.requestId : undefined;
`;

const SCRIPTS = {
  "esm.js": consumerScript(
    'import { createMeetingControlClient, MeetingControlError } from "@meeting-control/client";',
  ),
  "cjs.cjs": consumerScript(
    'const { createMeetingControlClient, MeetingControlError } = require("@meeting-control/client");',
  ),
};

// Type-checked together, the correct calls and the wrong one (each test below reads its part).
const TYPED = {
  "good.ts": `import {
  type ControlResult,
  createMeetingControlClient,
  MeetingControlError,
} from "@meeting-control/client";

${goodCall}
const result = await invite();
export const requestId: string | undefined = result.requestId;
`,
  // CommonJS consumers get dist/index.d.cts through the "require" condition.
  "good.cts": `import {
  type ControlResult,
  createMeetingControlClient,
  MeetingControlError,
} from "@meeting-control/client";

${goodCall}`,
  "bad.ts": `import { createMeetingControlClient } from "@meeting-control/client";

const client = createMeetingControlClient({ token: ${JSON.stringify(TOKEN)} });
await client.inviteCamera({
  conferenceID: "986947855",
  participantID: "4a5rg64ag5p8pvvnam1rr6m8lqra6a61",
  action: "on",
});
`,
};

describe("the packed package, installed from its tarball", { timeout: 300_000 }, () => {
  let remove: (() => Promise<void>) | undefined;
  let consumer = "";
  let server: Awaited<ReturnType<typeof loopbackServer>> | undefined;

  beforeAll(async () => {
    server = await loopbackServer((request, response) => {
      if (request.url.searchParams.get("participantID") === "locked") {
        json(response, 400, { error_code: "MMC.111072050", error_msg: "CONF_LOCKED" });
      } else {
        json(response, 200, {});
      }
    });
    const packed = await installPacked();
    remove = packed.remove;
    consumer = packed.consumer;

    await Promise.all(
      Object.entries(SCRIPTS).map(([name, text]) => writeFile(join(consumer, name), text)),
    );
  }, 300_000);

  // No @types: the consumer's own node_modules hold only what the tarball installed.
  let checked: Promise<TypecheckResult> | undefined;
  const typechecked = () => (checked ??= typecheck(consumer, TYPED, { types: [] }));

  afterAll(async () => {
    await server?.close();
    await remove?.();
  });

  it("ships the README and both builds", () => {
    const installed = join(consumer, "node_modules/@meeting-control/client");
    for (const file of ["README.md", "dist/index.js", "dist/index.cjs", "dist/index.d.cts"]) {
      expect(existsSync(join(installed, file)), file).toBe(true);
    }
  });

  it.each(
    NODES.flatMap((node) => [
      ["ESM import", node.major, "esm.js", node.path],
      ["CommonJS require", node.major, "cjs.cjs", node.path],
    ]),
  )("works from %s on Node %s", async (_, _major, file, node) => {
    const { url, requests } = server ?? expect.unreachable("no server");
    const before = requests.length;
    const run = await exec(node, [file], {
      cwd: consumer,
      env: { PATH: process.env.PATH, BASE_URL: url },
    });
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(`requestId=${REQUEST_ID}`);
    expect(run.output).toContain("error=true,ClientRequestError,400,MMC.111072050");

    const [enable, locked, ...rest] = requests.slice(before);
    expect(rest).toEqual([]);
    expect(enable?.method).toBe("PUT");
    expect(enable?.url.pathname).toBe("/v1/mmc/control/conferences/participants/video");
    expect(Object.fromEntries(enable?.url.searchParams ?? [])).toEqual({
      conferenceID: "986947855",
      participantID: "4a5rg64ag5p8pvvnam1rr6m8lqra6a61",
    });
    expect(enable?.headers["x-conference-authorization"]).toBe(TOKEN);
    expect(JSON.parse(enable?.body ?? "")).toEqual({ status: 0 });
    expect(JSON.parse(locked?.body ?? "")).toEqual({ status: 1 });
  });

  it("type-checks a correct call, from ESM and CommonJS, with its own node_modules only", async () => {
    const check = await typechecked();
    // Only bad.ts may have errors.
    expect(
      check.errors.filter((line) => !line.startsWith("bad.ts(")),
      check.output,
    ).toEqual([]);
    const used = check.files;
    expect(used.length).toBeGreaterThan(3);
    for (const file of used) expect(file.startsWith(`${consumer}/`), file).toBe(true);
    expect(used).toContain(join(consumer, "node_modules/@meeting-control/client/dist/index.d.ts"));
    expect(used).toContain(join(consumer, "node_modules/@meeting-control/client/dist/index.d.cts"));
  });

  it('rejects action: "on" at compile time', async () => {
    const check = await typechecked();
    expect(check.code).not.toBe(0);
    expect(check.output).toMatch(/bad\.ts\(7,3\): error TS2322: .*"on"/);
  });
});
