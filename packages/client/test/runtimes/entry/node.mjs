// Node's and Bun's entry: the installed package, imported as a user imports it.
import * as client from "@meeting-control/client";
import { run } from "./scenario.js";

console.log(JSON.stringify(await run(client, JSON.parse(process.argv[2]))));
