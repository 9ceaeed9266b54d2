// The page's module: the client's ESM build, resolved by the page's import map.
import * as client from "@meeting-control/client";
import { run } from "./scenario.js";

globalThis.runScenario = (config) => run(client, config);
