import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { mockProcesses, survivors } from "@meeting-control/testkit";
import { describe, expect, it } from "vitest";

// `pnpm start` hands off to turbo, which runs this package's `start` (scripts/start.mjs) after
// the builds. The test runs that script as turbo would, with free ports.
const script = fileURLToPath(new URL("../scripts/start.mjs", import.meta.url));

const get = (url: string, init?: RequestInit) =>
  fetch(url, { ...init, signal: AbortSignal.timeout(5000) }).then(
    async (r) => ({ status: r.status, text: await r.text() }),
    () => ({ status: 0, text: "" }),
  );

describe("pnpm start", () => {
  it("is `turbo run start`, and this package is the only one with a start script", () => {
    const root = JSON.parse(
      readFileSync(new URL("../../../package.json", import.meta.url), "utf8"),
    );
    expect(root.scripts.start).toBe("turbo run start");
    for (const pkg of [
      "../../docs/package.json",
      "../../../packages/mock/package.json",
      "../../../spec/package.json",
    ]) {
      expect(
        JSON.parse(readFileSync(new URL(pkg, import.meta.url), "utf8")).scripts.start,
        pkg,
      ).toBeUndefined();
    }
  });

  it("brings up the demo, the docs and the mock, prints their URLs, and leaves nothing behind after SIGINT", async () => {
    const child = spawn(process.execPath, [script], {
      env: { ...process.env, MOCK_PORT: "0", DOCS_PORT: "0", DEMO_PORT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      out += d;
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    try {
      const deadline = Date.now() + 45_000;
      while (
        !out.includes("Ctrl-C stops everything") &&
        Date.now() < deadline &&
        child.exitCode === null
      ) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const url = (label: string) => new RegExp(`${label}\\s+(http://\\S+)`).exec(out)?.[1] ?? "";
      const demo = url("Demo console");
      const docs = url("API docs");
      const mock = url("Mock API");
      expect([demo, docs, mock], out).toEqual([
        expect.stringMatching(/^http:/),
        expect.stringMatching(/^http:/),
        expect.stringMatching(/^http:/),
      ]);
      expect(new URL(demo).searchParams.get("baseUrl")).toBe(mock);

      const page = await get(demo);
      expect(page.status).toBe(200);
      expect(page.text).toContain("<title>");
      const reference = await get(docs);
      expect(reference.status).toBe(200);
      expect(reference.text).toContain("meeting-control API reference");
      const token = await get(`${mock}/v1/mmc/control/conferences/token?conferenceID=986947855`, {
        headers: { "X-Password": "x", "X-Login-Type": "1" },
      });
      expect(token.status).toBe(200);
      const pids = mockProcesses(new URL(mock).port);
      expect(pids).toHaveLength(2);

      child.kill("SIGINT");
      expect(await exited).toBe(0);
      for (const u of [demo, docs, `${mock}/`]) expect((await get(u)).status, u).toBe(0);
      expect(await survivors(pids, 0)).toEqual([]);
    } finally {
      child.kill("SIGKILL");
    }
  });
});
