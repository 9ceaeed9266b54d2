// Deno's entry: an npm: specifier, which Deno resolves from the project's node_modules.
import * as client from "npm:@meeting-control/client";
import { run } from "./scenario.js";

console.log(JSON.stringify(await run(client, JSON.parse(Deno.args[0]))));
