// workerd's entry, bundled with the client as a Worker is: the scenario runs on each POST.
import * as client from "@meeting-control/client";
import { run } from "./scenario.js";

export default {
  async fetch(request) {
    return Response.json(await run(client, await request.json()));
  },
};
