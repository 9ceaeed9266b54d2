// Proxy mode as `startMockServer({ proxy })` sets it up: Prism's engine with our `forward`, and
// the typed API it adds to the server object.
import type { Engine, PrismConfig } from "../engine.js";
import { ADMIN_PREFIX } from "../sim/http.js";
import { forwarder, UPSTREAM_TIMEOUT_MS } from "./forward.js";
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
  /**
   * How long the upstream has to answer a request, its body included, in ms; after that the
   * caller gets 504 `MOCK.UPSTREAM_TIMEOUT`. Default 30 000 (30 s).
   */
  upstreamTimeoutMs?: number;
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

/** A timer's limit: a longer one fires at once. */
const MAX_MS = 2 ** 31 - 1;

/** Prism's engine and config for proxy mode, and the state the HTTP layer shares. */
export function proxyMode(
  options: ProxyOptions,
  engine: Engine,
  config: PrismConfig,
  logger: unknown,
) {
  const upstream = upstreamOf(options.proxy);
  const { upstreamTimeoutMs = UPSTREAM_TIMEOUT_MS } = options;
  if (!Number.isInteger(upstreamTimeoutMs) || upstreamTimeoutMs < 1 || upstreamTimeoutMs > MAX_MS)
    throw new RangeError(
      `meeting-control-mock: upstreamTimeoutMs must be a whole number of ms from 1 to ${MAX_MS}; got ${upstreamTimeoutMs}`,
    );
  // `errors: true`: `forward` gets Prism's findings on the request (and refuses an invalid one),
  // and a request the spec has no operation for is answered 404 here, never forwarded.
  const proxyConfig: PrismConfig = { ...config, isProxy: true, upstream, errors: true };
  const prism = engine.createInstance(proxyConfig, {
    logger,
    forward: forwarder(upstreamTimeoutMs),
  });
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
