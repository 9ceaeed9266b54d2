// Preloaded into the mock's process by the memory tests: on SIGUSR2 it collects garbage twice and
// prints its RSS, so a test compares memory the mock keeps, not garbage a lazy GC has not taken
// yet (Node 24's young generation alone can hold tens of MB of it). `kept` is what JavaScript
// still holds (heap and Buffers); RSS also counts pages the allocator has not given back.
process.on("SIGUSR2", () => {
  global.gc?.();
  global.gc?.();
  const { rss, heapUsed, external } = process.memoryUsage();
  process.stderr.write(`gc-probe rss ${rss} kept ${heapUsed + external}\n`);
});
