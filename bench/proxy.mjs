// §7 Proxy overhead: the same valid PUT sent straight to a local upstream (our mock in contract
// mode) and through our mock in proxy mode in front of it (which validates the request, forwards
// it, and validates the answer), each server a child process, in interleaved blocks over
// keep-alive connections. The ratio is proxied ÷ direct: what the proxy's hop costs a request.
import { Agent } from "node:http";
import { sendValid } from "@meeting-control/testkit/load";
import { stop } from "./children.mjs";
import { start } from "./mock-start.mjs";
import { blockMedians, latency, paired, round, sequentialBlocks } from "./stats.mjs";

const HOW = { blocks: 40, warmUp: 2, perBlock: 100 };

export async function proxy() {
  /** @type {import("./mock-start.mjs").Started[]} */
  const servers = [];
  // One connection each, kept alive: the bench's to each server, and the proxy's to the upstream.
  const agents = [1, 2].map(() => new Agent({ keepAlive: true, maxSockets: 1 }));
  try {
    const upstream = await start("ours");
    servers.push(upstream);
    const front = await start("proxy", upstream.url);
    servers.push(front);
    /** The camera PUT (`sendValid`'s first request), over `agent`. @param {string} url @param {Agent} agent */
    const put = (url, agent) => async () => {
      const status = await sendValid(url, 0, { agent });
      if (status !== 200) throw new Error(`${url} answered ${status || "nothing"}`);
    };
    const calls = {
      direct: put(upstream.url, /** @type {Agent} */ (agents[0])),
      proxied: put(front.url, /** @type {Agent} */ (agents[1])),
    };
    const blocks = await sequentialBlocks(calls, { ...HOW, label: "§7 proxy" });
    const report = await fetch(`${front.url}/__mock/violations`).then((r) => r.json());
    const of = (/** @type {string} */ name) => blocks.get(name) ?? [];
    const [direct, proxied] = [latency(of("direct")), latency(of("proxied"))];
    return {
      method: `Two of our mocks, each a child process of the bench: the upstream, \`node <@meeting-control/mock's bin> --port 0\` (contract mode), and in front of it the proxy, the same bin with \`--proxy <the upstream's URL>\`. Each is found at the URL it prints and polled until a valid PUT answers 200. The bench sends the same valid PUT (the camera's, {"status":0}, as @meeting-control/testkit/load sends it, with node:http and a keep-alive Agent of one socket per side) to the upstream directly and through the proxy: ${HOW.blocks} blocks (after ${HOW.warmUp} warm-up blocks) in which each side in turn, the order rotating block by block, sends ${HOW.perBlock} sequential requests, each followed by one event-loop turn. p50 and p99 pool every block; the ratio is proxied ÷ direct, and the paired ratio the median over the blocks of the same-block p50 ratio; figures in ms. The proxy's report is read at the end: every request it forwarded, and how many answers left the contract.`,
      ...HOW,
      ms: { direct, proxied },
      ratio: { p50: round(proxied.p50 / direct.p50, 3), p99: round(proxied.p99 / direct.p99, 3) },
      pairedP50: paired(blockMedians(of("proxied")), blockMedians(of("direct"))),
      report: { forwarded: report.forwarded, left: report.left, refused: report.refused },
    };
  } finally {
    for (const agent of agents) agent.destroy();
    await Promise.all(servers.map((server) => stop(server.child)));
  }
}
