// Proxy mode as `startMockServer({ proxy })` sets it up: Prism's engine with our `forward`, and
// the typed API it adds to the server object.
import type { Engine, PrismConfig } from "../engine.js";
import { ADMIN_PREFIX } from "../sim/http.js";
import { forward } from "./forward.js";
import { type Proxying, proxying } from "./http.js";
import type { ProxyReport, ViolationEntry } from "./report.js";
import { upstreamOf } from "./upstream.js";

export interface ProxyOptions {
  /**
   * Proxy mode: forward every valid request to this upstream (an https:// URL, http:// only to
   * loopback, or a region of the spec's servers, e.g. `cn-north-4`) and report every answer
   * that leaves the contract.
   */
  proxy: string;
  /** Forward requests Prism finds invalid too (they are still reported). Default false. */
  forwardInvalid?: boolean;
  /** Called with each answer that leaves the contract (and each refused request), credentials removed. */
  onViolation?: (entry: ViolationEntry) => void;
}

/** What a mock in proxy mode adds to the server object. */
export interface ProxyApi {
  /** The upstream's origin. */
  upstream: string;
  /** The answers that left the contract (and the requests refused), oldest first; no credential. */
  violations(): ViolationEntry[];
  /** The counts by operation and JSON path, and the entries: what `--report` writes. */
  report(): ProxyReport;
  /** Forgets every entry and count. */
  resetViolations(): void;
  /** Where the admin routes are: the URL followed by `/__mock` (`GET /__mock/violations`). */
  adminUrl: string;
}

/** Prism's engine and config for proxy mode, and the state the HTTP layer shares. */
export function proxyMode(
  options: ProxyOptions,
  engine: Engine,
  config: PrismConfig,
  logger: unknown,
) {
  const upstream = upstreamOf(options.proxy);
  // `errors: true`: `forward` gets Prism's findings on the request (and refuses an invalid one),
  // and a request the spec has no operation for is answered 404 here, never forwarded.
  const proxyConfig: PrismConfig = { ...config, isProxy: true, upstream, errors: true };
  const prism = engine.createInstance(proxyConfig, { logger, forward });
  const proxy = proxying(upstream, options.forwardInvalid ?? false, options.onViolation);
  return { prism, config: proxyConfig, proxy };
}

export const proxyApiOf = (proxy: Proxying, url: string): ProxyApi => ({
  upstream: proxy.upstream.origin,
  violations: () => proxy.report.entries(),
  report: () => proxy.report.report(),
  resetViolations: () => proxy.report.reset(),
  adminUrl: url + ADMIN_PREFIX,
});
