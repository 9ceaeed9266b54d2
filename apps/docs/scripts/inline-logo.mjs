// Runs after `redocly build-docs`. Redoc's sidebar badge ("API docs by" and Redocly's logo) loads
// the logo from cdn.redoc.ly, but the page loads nothing over the network (its CSP says so): the
// browser refused the logo, logged the refusal as an error, and the badge was left empty. Here the
// badge gets a logo of its own, a data: URL the CSP allows.
import { readFileSync, writeFileSync } from "node:fs";

const FONT = 'font-family="system-ui, sans-serif" font-weight="700"';
const LOGOS = {
  // Beside "API docs by", 12 px high: white on blue reads on the light and the dark sidebar.
  "https://cdn.redoc.ly/redoc/logo-mini-full.svg": `<svg xmlns="http://www.w3.org/2000/svg" width="52" height="14" viewBox="0 0 52 14"><rect width="52" height="14" rx="3" fill="#0044d4"/><text x="4" y="10.5" font-size="10" ${FONT} fill="#fff" textLength="44" lengthAdjust="spacingAndGlyphs">Redocly</text></svg>`,
  // Alone, in the collapsed sidebar.
  "https://cdn.redoc.ly/redoc/logo-mini.svg": `<svg xmlns="http://www.w3.org/2000/svg" width="14" height="14" viewBox="0 0 14 14"><circle cx="7" cy="7" r="7" fill="#0044d4"/><text x="7" y="10.5" font-size="10" ${FONT} fill="#fff" text-anchor="middle">R</text></svg>`,
};

const file = process.argv[2] ?? "dist/index.html";
let html = readFileSync(file, "utf8");
for (const [url, svg] of Object.entries(LOGOS)) {
  // A Redoc that no longer loads this logo needs this step changed, not silently skipped.
  if (!html.includes(url))
    throw new Error(`${file} does not load ${url}: update scripts/inline-logo.mjs`);
  html = html.replaceAll(url, `data:image/svg+xml,${encodeURIComponent(svg)}`);
}
writeFileSync(file, html);
