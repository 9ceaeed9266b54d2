import type { BrowserContext, Locator, Page } from "playwright-core";

// What a reader of the rendered page would notice, measured in the page.

/** Every problem the page reports: console errors and warnings, page errors, failed requests, CSP. */
export async function recordProblems(context: BrowserContext): Promise<string[]> {
  const problems: string[] = [];
  // Reported by the page itself too: a console listener attached later could miss the first ones.
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`CSP violation: ${e.violatedDirective} refused ${e.blockedURI}`);
    });
  });
  context.on("console", (message) => {
    if (["error", "warning"].includes(message.type()))
      problems.push(`console ${message.type()}: ${message.text()}`);
  });
  context.on("weberror", (error) => problems.push(`page error: ${error.error().message}`));
  context.on("requestfailed", (request) =>
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`),
  );
  return problems;
}

/**
 * The words of the page's tables, and those a line break cuts in two (a word whose characters lie
 * on more than one line).
 */
export function tableWords(page: Page): Promise<{ words: string[]; broken: string[] }> {
  return page.evaluate(() => {
    const words: string[] = [];
    const broken: string[] = [];
    for (const table of document.querySelectorAll("table")) {
      const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const match of (node.textContent ?? "").matchAll(/\S+/g)) {
          const range = document.createRange();
          range.setStart(node, match.index);
          range.setEnd(node, match.index + match[0].length);
          const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.bottom)));
          words.push(match[0]);
          if (lines.size > 1) broken.push(match[0]);
        }
      }
    }
    return { words, broken };
  });
}

export interface CodeBlockFit {
  /** The code as shown. */
  text: string;
  /** How many pixels of the longest line are out of sight (scrolled off or past the window). */
  hiddenPx: number;
  /** Text that lies under the block's copy button. */
  underButton: string[];
}

/** How the code block in `block` fits: nothing out of sight, nothing under the copy button. */
export function codeBlockFit(block: Locator): Promise<CodeBlockFit> {
  return block.evaluate((root) => {
    const pre = root.querySelector("pre");
    if (!pre) throw new Error("no code block in the request panel");
    const button = root.querySelector("[data-testid=copy-button]")?.getBoundingClientRect();
    const box = pre.getBoundingClientRect();
    const hiddenPx = Math.max(
      pre.scrollWidth - pre.clientWidth,
      box.right - document.documentElement.clientWidth,
      0,
    );
    const underButton: string[] = [];
    const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node && button; node = walker.nextNode()) {
      if (!node.textContent?.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const covered = [...range.getClientRects()].some(
        (r) =>
          r.left < button.right &&
          r.right > button.left &&
          r.top < button.bottom &&
          r.bottom > button.top,
      );
      if (covered) underButton.push(node.textContent);
    }
    return { text: pre.textContent ?? "", hiddenPx, underButton };
  });
}

/** The badge Redoc puts at the foot of the sidebar: its text and whether its logo is drawn. */
export function badge(page: Page): Promise<{ text: string; logoDrawn: boolean } | undefined> {
  return page.evaluate(() => {
    const link = document.querySelector<HTMLAnchorElement>('a[href^="https://redocly.com/"]');
    if (!link) return undefined;
    const img = link.querySelector("img");
    const logoDrawn = Boolean(img?.complete && img.naturalWidth > 0 && img.offsetWidth > 0);
    return { text: link.textContent ?? "", logoDrawn };
  });
}
