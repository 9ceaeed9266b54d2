// Runs one section in a process of its own and prints its figures as one JSON line on stdout
// (progress goes to stderr): run.mjs starts it on each Node version, as
// `node section.mjs ./per-call.mjs perCall`.
const [file = "", key = ""] = process.argv.slice(2);
const figures = await (await import(new URL(file, import.meta.url).href))[key]();
process.stdout.write(`${JSON.stringify(figures)}\n`, () => process.exit(0));
