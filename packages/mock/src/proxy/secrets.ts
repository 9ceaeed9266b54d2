// Every form a request's credentials can take in what an upstream echoes: the header's value,
// the token inside `Basic …`, its base64 and `Basic` forms, and UTF-8 read back from Latin-1
// (node:http reads header bytes as Latin-1). Each of a repeated header's values too: node:http
// joins them with ", " and the upstream gets the joined value, so it may echo either part. Plus
// the tokens upstream answers have issued. Each of these percent-encoded too (by any encoder,
// wholly or in part: an echo in a URL or a header) and form-encoded, in any ASCII case (a URL's
// host comes back lowercased).
import { valuesOf } from "../redact.js";

export { redacting } from "../redact.js";

/** Tokens issued by the upstream, kept at most (the oldest goes first). */
const MAX_TOKENS = 1000;

const CREDENTIAL_HEADERS = ["x-conference-authorization", "x-password", "authorization"];

const utf8 = (latin1: string) => Buffer.from(latin1, "latin1").toString("utf8");
const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

/** The credentials of one request, in every form listed above. */
export function credentialsOf(headers: Record<string, string | string[] | undefined>): string[] {
  const found: string[] = [];
  for (const name of CREDENTIAL_HEADERS) {
    const raw = headers[name];
    const values = Array.isArray(raw) ? raw : raw ? [raw] : [];
    for (const value of new Set([...values, ...values.flatMap(valuesOf)])) {
      const basic = /^Basic\s+(\S+)$/i.exec(value.trim())?.[1];
      const plain =
        basic === undefined ? [value, utf8(value)] : [atob64(basic), utf8(atob64(basic))];
      for (const secret of [value, basic ?? "", ...plain])
        if (secret) found.push(secret, base64(secret), `Basic ${base64(secret)}`);
    }
  }
  return [...new Set(found)];
}

function atob64(text: string): string {
  try {
    return atob(text);
  } catch {
    return "";
  }
}

/** The tokens an upstream issued (CreateConfToken's `data.token` and `tmpWsToken`), bounded. */
export class IssuedTokens {
  readonly #tokens = new Set<string>();
  #added = 0;
  /** How many tokens were added so far: a redactor built with fewer is out of date. */
  get added() {
    return this.#added;
  }
  add(body: unknown) {
    // The event stream's tmpWsToken is a credential too.
    const data = (body as { data?: Record<string, unknown> } | null)?.data;
    for (const token of [data?.token, data?.tmpWsToken]) {
      if (typeof token !== "string" || !token || this.#tokens.has(token)) continue;
      this.#tokens.add(token);
      this.#added++;
      if (this.#tokens.size > MAX_TOKENS)
        this.#tokens.delete(this.#tokens.values().next().value as string);
    }
  }
  values = () => [...this.#tokens];
}
