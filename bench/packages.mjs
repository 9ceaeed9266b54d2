// The packages the bench runs and reports on, each a dependency of the bench and read from its
// node_modules: their versions and commands, and a free port to run one on.
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** @param {string} name */
const manifestPath = (name) =>
  fileURLToPath(new URL(`node_modules/${name}/package.json`, import.meta.url));

/** @param {string} name */
export const versionOf = (name) => JSON.parse(readFileSync(manifestPath(name), "utf8")).version;

/** A package's command, from the `bin` field of its package.json. @param {string} name @param {string} command */
export function binOf(name, command) {
  const json = JSON.parse(readFileSync(manifestPath(name), "utf8"));
  const file = typeof json.bin === "string" ? json.bin : json.bin?.[command];
  if (!file) throw new Error(`${name}'s package.json has no bin "${command}"`);
  return join(dirname(manifestPath(name)), file);
}

/** A port that was free on 127.0.0.1 a moment ago. @returns {Promise<number>} */
export const freePort = () =>
  new Promise((resolve, reject) => {
    const probe = createServer().once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
