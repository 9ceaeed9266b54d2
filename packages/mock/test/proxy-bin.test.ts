// `meeting-control-mock --proxy`: a line per answer that leaves the contract as it happens, and
// on Ctrl-C the summary, and the report as JSON with --report.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it, onTestFinished } from "vitest";
import { bin, exitOf, JSON_AUTH, outputMatching, VIDEO } from "./helpers.js";
import { deviating } from "./proxy-upstream.js";

it("prints each deviation as it happens, the summary on Ctrl-C, and writes --report", async () => {
  const upstream = await deviating();
  onTestFinished(() => upstream.close());
  const dir = mkdtempSync(join(tmpdir(), "proxy-report-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "report.json");
  const child = spawn(
    process.execPath,
    [bin, "--port", "0", "--proxy", upstream.url, "--report", file],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  onTestFinished(() => {
    child.kill("SIGKILL");
  });
  // Everything the command prints, from the start: a line can come before its answer does.
  let out = "";
  child.stdout.on("data", (chunk) => {
    out += chunk;
  });
  const printed = (pattern: RegExp) => expect.poll(() => out).toMatch(pattern);
  const banner = await outputMatching(child, /Answers:\n/);
  expect(banner).toContain(`Proxying to ${upstream.url}`);
  const url = /Mock meeting-control API: (http:\/\/\S+)/.exec(banner)?.[1] ?? "";
  const put = (answer: string) =>
    fetch(url + VIDEO, {
      method: "PUT",
      headers: { ...JSON_AUTH, "x-answer": answer },
      body: '{"status": 0}',
    }).then((r) => r.text());
  await put("faithful");
  await put("no-error-code");
  await printed(
    /left the contract: InviteOperateVideo PUT \/v1\/mmc\/control\/conferences\/participants\/video → 400 \(X-Request-Id \w+\): response\.body: .*error_code/,
  );
  await put("teapot");
  await printed(/→ 418/);
  child.kill("SIGINT");
  expect(await exitOf(child)).toBe(0);
  expect(out).toContain("3 answers forwarded, 2 left the contract");
  expect(out).toMatch(/ {2}InviteOperateVideo: 3 forwarded, 2 left the contract\n/);
  expect(out).toMatch(/ {4}response\.body: 1\n {4}response\.status: 1\n/);
  const report = JSON.parse(readFileSync(file, "utf8"));
  expect(report).toMatchObject({ upstream: upstream.url, forwarded: 3, left: 2 });
  expect(report.violations.map((e: { status: number }) => e.status)).toEqual([400, 418]);
});
