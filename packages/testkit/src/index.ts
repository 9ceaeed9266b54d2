export { type BrowserSupport, browserSupport, launchChromium } from "./chromium.js";
