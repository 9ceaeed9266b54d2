import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { type Browser, chromium } from "playwright-core";

const CANDIDATES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

// Headless, sandbox-free and quiet: without the background-networking, component-update and sync
// flags Chromium keeps dialling out, and a closed network (CI's) refuses each attempt.
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `CHROME_PATH`, else the first Chromium-like command on PATH; never a downloaded browser. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CHROME_PATH) return isExecutable(env.CHROME_PATH) ? env.CHROME_PATH : undefined;
  for (const dir of (env.PATH ?? "").split(delimiter).filter(Boolean)) {
    for (const name of CANDIDATES) {
      const path = join(dir, name);
      if (isExecutable(path)) return path;
    }
  }
  return undefined;
}

export interface BrowserSupport {
  /** Path to the Chromium binary, when there is one. */
  executablePath: string | undefined;
  /** Whether browser tests must be skipped (no Chromium on a developer's machine). */
  skip: boolean;
}

/**
 * Decides whether browser tests run. In CI (`CI` set) a missing Chromium is an error the
 * tests must report; on a developer's machine the tests are skipped with a visible message.
 */
export function browserSupport(
  suite: string,
  env: NodeJS.ProcessEnv = process.env,
): BrowserSupport {
  const executablePath = findChromium(env);
  const inCI = Boolean(env.CI) && env.CI !== "false";
  if (!executablePath && !inCI) {
    console.warn(
      `\n[${suite}] SKIPPED: Chromium not found (set CHROME_PATH or install Debian's chromium: apt-get install -y chromium).\n`,
    );
  }
  return { executablePath, skip: !executablePath && !inCI };
}

/** Launches headless Chromium. Playwright gives each launch a fresh, temporary profile. */
export async function launchChromium(executablePath: string | undefined): Promise<Browser> {
  if (!executablePath) {
    throw new Error(
      "Chromium is required here (CI is set) but was not found: set CHROME_PATH or apt-get install -y chromium",
    );
  }
  return chromium.launch({ executablePath, headless: true, args: FLAGS });
}
