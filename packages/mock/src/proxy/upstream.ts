// Where proxy mode forwards: a URL, or a region named by the spec's `servers` (`x-region`).
// The same rule as the client: https://, or http:// only to a loopback host (for tests).
import { specDocument } from "../spec.js";

/** The spec's servers, by region name. */
export function regions(): Record<string, string> {
  const servers: { url: string; "x-region"?: string }[] = specDocument().servers ?? [];
  return Object.fromEntries(
    servers.filter((s) => s["x-region"]).map((s) => [s["x-region"] as string, s.url]),
  );
}

export const LOOPBACK = /^(localhost|127\.[\d.]+|\[::1\])$/;

/** The upstream's origin for `proxy` (a URL or a region name); throws a RangeError if refused. */
export function upstreamOf(proxy: string): URL {
  const named = regions()[proxy];
  const text = named ?? proxy;
  const url = URL.canParse(text) ? new URL(text) : undefined;
  const fail = (why: string): never => {
    throw new RangeError(
      `meeting-control-mock: proxy must be ${why}; regions: ${Object.keys(regions()).join(", ")}; got ${url?.origin ?? "no URL"}`,
    );
  };
  if (!url) return fail("a region name or an https:// URL");
  // Refused, not echoed: user info is a password in the URL.
  if (url.username || url.password) fail("a URL without user info (user:password@)");
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.test(url.hostname)))
    fail("https:// (http:// only to a loopback host)");
  // Only the origin: the spec's paths are whole, and a query would leak into every request.
  return new URL(url.origin);
}

/**
 * Whether `upstream` is the mock itself, listening on `host`:`port`: it would forward each request
 * to itself, without end, until it ran out of file descriptors.
 */
export function isItself(upstream: URL, host: string, port: number): boolean {
  if (upstream.protocol !== "http:" || Number(upstream.port || 80) !== port) return false;
  // An IPv6 host as a URL writes it, in brackets (`--host ::1` has none).
  const loopback = (name: string) =>
    LOOPBACK.test(name.includes(":") && !name.startsWith("[") ? `[${name}]` : name);
  const wildcard = ["0.0.0.0", "::", "[::]", ""].includes(host);
  return wildcard || upstream.hostname === host || (loopback(upstream.hostname) && loopback(host));
}
