// What proxy mode found: one entry per answer that left the contract (and per request refused
// as invalid), bounded, every credential removed; and the counts behind the Ctrl-C summary.

/** One thing the spec did not expect, as Prism's validator found it. */
export interface ContractViolation {
  /** Where: `request` or `response`, then the JSON path (`response.body.error_code`). */
  path: string;
  /** What the spec expects there, in Prism's words. */
  expected: string;
  severity: "error" | "warning";
}

export interface ViolationEntry {
  /** When the answer came (ISO 8601). */
  at: string;
  /** The spec's operation (its operationId), or null for a request that matched none. */
  operation: string | null;
  method: string;
  /** The request's path, without its query. */
  path: string;
  /** The upstream's status; null when the request was refused as invalid and not forwarded. */
  status: number | null;
  /** The upstream's `X-Request-Id`, or null when it sent none (or nothing was forwarded). */
  requestId: string | null;
  forwarded: boolean;
  /** The first VIOLATIONS_PER_ENTRY of them. */
  violations: ContractViolation[];
  /** How many more the answer had, beyond those kept; only when there were. */
  more?: number;
}

export interface OperationSummary {
  forwarded: number;
  /** Answers with at least one violation. */
  left: number;
  /** Requests refused as invalid, not forwarded. */
  refused: number;
  /** How often each JSON path was violated. */
  paths: Record<string, number>;
}

export interface ProxyReport {
  upstream: string;
  forwarded: number;
  left: number;
  refused: number;
  operations: Record<string, OperationSummary>;
  /** The latest entries, oldest first. */
  violations: ViolationEntry[];
}

/** Entries kept; the oldest go first (the counts keep counting). */
export const VIOLATIONS_LIMIT = 1000;
/** Violations kept per entry: a large answer can break the spec once per item of a list. */
export const VIOLATIONS_PER_ENTRY = 50;
/** An entry's `violations`: the first VIOLATIONS_PER_ENTRY, and `more` when there were others. */
export function capped(
  violations: ContractViolation[],
): Pick<ViolationEntry, "violations" | "more"> {
  const more = violations.length - VIOLATIONS_PER_ENTRY;
  return { violations: violations.slice(0, VIOLATIONS_PER_ENTRY), ...(more > 0 && { more }) };
}

/** Distinct paths counted per operation: an upstream cannot grow the summary without bound. */
const PATHS_LIMIT = 200;

export class Report {
  #entries: ViolationEntry[] = [];
  #operations = new Map<string, OperationSummary>();
  constructor(
    readonly upstream: string,
    readonly limit = VIOLATIONS_LIMIT,
  ) {}

  /**
   * Counts one request; keeps its entry only when it left the contract or was refused (so an
   * answer within the contract may be given unredacted: nothing of it is kept).
   */
  add(entry: ViolationEntry) {
    const key = entry.operation ?? "(no operation)";
    let summary = this.#operations.get(key);
    if (!summary) {
      summary = { forwarded: 0, left: 0, refused: 0, paths: {} };
      this.#operations.set(key, summary);
    }
    if (entry.forwarded) summary.forwarded++;
    else summary.refused++;
    if (entry.forwarded && entry.violations.length) summary.left++;
    for (const v of entry.violations)
      if (v.path in summary.paths || Object.keys(summary.paths).length < PATHS_LIMIT)
        summary.paths[v.path] = (summary.paths[v.path] ?? 0) + 1;
    if (!entry.violations.length && entry.forwarded) return;
    this.#entries.push(entry);
    if (this.#entries.length > this.limit) this.#entries.shift();
  }

  entries = (): ViolationEntry[] => structuredClone(this.#entries);

  report(): ProxyReport {
    const operations = Object.fromEntries(structuredClone([...this.#operations]));
    const total = (key: "forwarded" | "left" | "refused") =>
      [...this.#operations.values()].reduce((n, s) => n + s[key], 0);
    return {
      upstream: this.upstream,
      forwarded: total("forwarded"),
      left: total("left"),
      refused: total("refused"),
      operations,
      violations: this.entries(),
    };
  }

  reset() {
    this.#entries = [];
    this.#operations.clear();
  }
}

/** The summary the command prints on Ctrl-C. */
export function summaryOf(report: ProxyReport): string {
  const lines = [`${report.forwarded} answers forwarded, ${report.left} left the contract`];
  if (report.refused) lines[0] += ` (${report.refused} requests refused as invalid)`;
  for (const [operation, s] of Object.entries(report.operations)) {
    lines.push(`  ${operation}: ${s.forwarded} forwarded, ${s.left} left the contract`);
    for (const [path, count] of Object.entries(s.paths)) lines.push(`    ${path}: ${count}`);
  }
  return lines.join("\n");
}

/** One line for an entry, as the command prints it when it happens. */
export const lineOf = (e: ViolationEntry) =>
  `${e.forwarded ? "left the contract" : "refused"}: ${e.operation ?? "(no operation)"} ${e.method} ${e.path} → ${e.status ?? "not forwarded"} (X-Request-Id ${e.requestId ?? "none"}): ${e.violations.map((v) => `${v.path}: ${v.expected}`).join("; ")}${e.more ? `; and ${e.more} more` : ""}`;
