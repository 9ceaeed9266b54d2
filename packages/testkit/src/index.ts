export { type BrowserSupport, browserSupport, launchChromium } from "./chromium.js";
export { type NodeBinary, nodeMatrix } from "./node-matrix.js";
export { npmEnv } from "./npm-env.js";
export { packTarball, pnpmCommand } from "./pnpm.js";
export { alive, type ProcessRow, processSession, processTree, survivors } from "./processes.js";
export { packageProblems } from "./publish.js";
export {
  fetchCommand,
  type PinnedRuntime,
  pinnedRuntimes,
  RUNTIMES,
  workerdCompatibilityDate,
} from "./runtimes.mjs";
export { parseHttpFile, type RawRequest, sourcePageRequests, specExample } from "./spec.js";
export { type TypecheckResult, typecheck } from "./typecheck.js";
export { workspacePackages, workspaceRoot } from "./workspace.js";
