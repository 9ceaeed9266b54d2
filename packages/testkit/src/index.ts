export { type BrowserSupport, browserSupport, launchChromium } from "./chromium.js";
export { alive, mockProcesses, survivors } from "./processes.js";
