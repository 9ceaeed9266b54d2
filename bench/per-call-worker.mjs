// One §1 variant in a process of its own (`node per-call-worker.mjs <variant>`, started by
// per-call.mjs with an IPC channel), so its garbage, timers and finalizers share no heap with
// another variant's: a per-call `AbortSignal.timeout` keeps its signal for 10 s, and in a shared
// heap every variant's GC would pay for it. Asked for a block of N batches, it runs them (each batch
// its calls, then one turn of the event loop) and answers with its CPU time since its last answer
// (GC and finalizers that ran while it waited included), its calls and the loop's turns.
import { stub, variants } from "./per-call-variants.mjs";
import { batches } from "./stats.mjs";

globalThis.fetch = stub; // the bench's own process: the stub is the global fetch here
const [name = "", size = "16"] = process.argv.slice(2);
const batch = Number(size);
const call = name === "nothing" ? async () => {} : variants(stub)[name];
if (!call) throw new Error(`no §1 variant ${name}`);

let cpu = process.cpuUsage();
process.on("message", async (/** @type {number} */ count) => {
  const { turns } = await batches(call, { count, batch, countTurns: true });
  const { user, system } = process.cpuUsage(cpu);
  cpu = process.cpuUsage();
  process.send?.({ calls: count * batch, cpuMs: (user + system) / 1000, turns });
});
process.on("disconnect", () => process.exit(0));
process.send?.("ready");
