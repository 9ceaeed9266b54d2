// §7's rows: direct and proxied round trips to the same upstream, p50 and p99, and proxied ÷
// direct. No target: a recorded figure.
import { BASELINE, int, num, rowsOf, times, vs } from "./report.mjs";

/** @param {Awaited<ReturnType<typeof import("./proxy.mjs").proxy>>} r @param {string} title */
export function proxyRows(r, title) {
  const row = rowsOf(title);
  const { direct, proxied } = r.ms;
  const ms = (/** @type {number} */ x) => `${num(x, 3)} ms`;
  const mad = (/** @type {{ mad: number }} */ x) => `± ${ms(x.mad)} (MAD)`;
  const p = r.pairedP50;
  const pairedRatio = `paired per block ${times(p.median)} ± ${num(p.mad, 2)} (MAD, ${p.blocks} paired blocks)`;
  const checked = `${int(r.report.forwarded)} forwarded, ${int(r.report.left)} left the contract`;
  const upstream = "our mock, contract mode";
  return [
    row(
      `direct to the upstream (${upstream}) p50 (baseline), ${int(direct.requests)} requests`,
      ms(direct.p50),
      mad(direct),
      BASELINE,
    ),
    row(
      `through our mock in proxy mode to the same upstream p50, ${int(proxied.requests)} requests`,
      ms(proxied.p50),
      `${mad(proxied)}; ${ms(proxied.p50 - direct.p50)} more; ${pairedRatio}; ${checked}`,
      vs("direct p50", r.ratio.p50),
    ),
    row("direct p99", ms(direct.p99), "", BASELINE),
    row("proxied p99", ms(proxied.p99), "", vs("direct p99", r.ratio.p99)),
  ];
}
