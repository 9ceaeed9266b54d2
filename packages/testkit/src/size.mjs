// Bundle size, measured one way for the client's size test and the bench (§3). Plain JavaScript,
// so the bench can import it under Node without a TypeScript loader.
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

/** The esbuild that measures, for a report to name. */
export { version as esbuildVersion } from "esbuild";

/**
 * What the client's ESM entry, openapi-fetch included, may weigh min+gz, in bytes; the client's
 * README ("Size") says where the bytes go. Raised from 5,400 B when the hardening work (redirects
 * refused, echoed secrets redacted, extra headers checked) added about 730 B. The performance
 * work's 5,000 B is not reached: the same behaviour written only for size weighs about 5,990 B.
 * Raised from 6,100 B for the reuse of idle controllers on Node 20 (retry.ts), about 70 B; that
 * reuse is gone, and handing the global fetch a URL and init instead of a Request (options.ts)
 * takes about as much. Raised from 6,200 B for the security fixes of the performance work's
 * review (a success's request id redacted, secrets matched in any case and form-encoded, a
 * header's name redacted, a token answer no header can carry refused, an invalid lifetime
 * ignored, and `redactor` exported for the CLI and your logs), about 140 B. Raised from 6,300 B
 * for keeping the last redactor built (redact.ts), about 30 B: without it, redacting a success's
 * request id cost every call about 12 µs. Raised from 6,350 B for the last findings of that
 * review, about 310 B: an answer's body read up to 1 MiB (an endless one filled the memory), a
 * network error's cause copied with its name, message, stack and code only (a custom fetch's error
 * may carry the request's headers), and `signal`, `fetch`, `retryDelayMs` and the options object
 * checked, so an aborted signal sends no password and a wrong type is an InvalidInputError.
 * Raised from 6,650 B for the review of those (about 30 B): an answer that is not the runtime's
 * own Response (node-fetch's, a frozen one) keeps its own text(), `signal: null` is no signal, a
 * cause's name is redacted, and `fetch: null` is no fetch for `client.raw` too. Raised from
 * 6,700 B for that review's leftovers (about 105 B): an answer over 1 MiB is an
 * InvalidResponseError with its status and request id, and a network error's cleaned cause keeps
 * Node's `errno`, `syscall`, `address` and `port` and an AggregateError's `errors`, whose code is
 * the reason the message shows. Raised from 6,800 B for the next review (about 165 B): each
 * attempt raced against its own signal (a custom fetch's Request may be collected, and its
 * signal never fire), `retryDelayMs.max` checked, a `baseUrl` with a query or fragment refused,
 * the headers fetch sets itself refused by name in the message, and a choice that is not a
 * string described by its type (a BigInt or a cyclic value threw a TypeError). Raised from
 * 6,950 B (about 60 B) so that an invitation whose 2xx answer breaks off is a success, not sent
 * again: the service applied it, and a retry would invite twice. Raised from 7,000 B (about
 * 125 B) for the next review: a token or hostPassword function has timeoutMs to answer and
 * stops at the caller's signal (a stalled vault held calls, and its conference's cached token,
 * for ever), and a Retry-After date must be one of RFC 9110's three forms whole. Raised from
 * 7,150 B (about 80 B) for the next review: a secret echoed encoded in part or as RFC 3986's
 * encoders write it (`*` as %2A) is redacted, secrets too long to compile a pattern of hide
 * every string whole (the pattern's SyntaxError quoted them), a redirect or a 4xx whose body
 * then stalls or breaks off is that answer's error, not a timeout retried, and a number that is
 * refused is echoed. Raised from 7,200 B (about 15 B) so that a call's `headers` given as a Map
 * or as pairs are sent: they were dropped without a word, a Map having no own keys. Raised from
 * 7,250 B (about 30 B) for that change's review: an iterable of anything but pairs (strings, a
 * Set, a symbol key) is an InvalidInputError, not a TypeError, and a 400 whose body breaks off
 * is retried as before, since its code (a retry, a new token) is in the body. Raised from 7,300 B
 * (about 135 B) for the next security review: a secret echoed wholly percent-encoded (letters
 * too), in JSON's `\u00XX` escapes, or in unpadded or base64url base64 is redacted, and so are a
 * host password a function returned (in the control call that used its token), a refused token
 * (in the error of the CreateConfToken that replaced it) and a passphrase split across
 * `error_code` and `error_msg` (the joined message is redacted whole). Raised from 7,450 B
 * (about 45 B) for the next security review: a secret echoed inside a longer base64 text (a
 * gateway's encoded copy of the request) at any offset is redacted, a secret given as a number
 * is described by its type, not echoed, and a function's host password is kept with the token it
 * got, so a control call on that token redacts it however the cache or an explicit
 * CreateConfToken changed since (the map it was kept in saved about 10 B); then about 10 B for
 * that change's review: the public createConfToken takes its one argument only, and base64url
 * forms are matched by the pattern rather than listed (a pattern less than half the size).
 * Raised from 7,500 B (about 80 B) for the next review: the redactor compiles its fuller pattern
 * (escapes, percent-encoding) only for a string with a `%` or a backslash in it, since compiling
 * it took 3 to 18 ms for every new set of secrets, on the success path too: each token's first
 * call and each refresh (V8 caches a compiled pattern, so tokens taking turns pay it once; a new
 * token each call measured 3.95 ms a call before, 0.76 ms after); a retryable or token-refusing code is kept
 * when a secret is inside it (a PIN such as 111072 stopped the retry or the refresh); a fetch that
 * throws what is no Error is described by its type ("failed: undefined"); and a token's fallback
 * lifetime is the spec's. Raised from 7,575 B (about 50 B) for the next review: an option the
 * client does not know is refused, not ignored (`baseURL` for `baseUrl` sent the token and the
 * call to the service itself), and an error's `headers` keep a header named `constructor` or
 * `__proto__` as its value. Raised from 7,625 B (about 30 B) for the next review: a token still
 * being fetched is not evicted from a full cache (each concurrent call for its conference asked
 * again, with the password), and `retryDelayMs` refuses a key it does not know (`inital` kept
 * the default backoff unseen).
 */
export const CLIENT_BUDGET_GZIP = 7_655;

/** The client's ESM entry, imported the way a consumer's code imports it. */
export const CLIENT_ENTRY = 'export * from "@meeting-control/client";';

/** Bare openapi-fetch, the floor of the client's bundle. */
export const OPENAPI_FETCH_ENTRY = 'import c from "openapi-fetch"; export default c;';

/**
 * Bundles an entry the way a consumer's bundler would (esbuild: bundle, minify, format esm,
 * target es2022, mainFields module,main), then gzips it at level 9.
 * @param {string} contents the entry's source
 * @param {string} resolveDir where its imports resolve from
 * @param {"neutral" | "node" | "browser"} [platform]
 * @returns {Promise<{ min: number, gzip: number }>} bytes
 */
export async function bundledSize(contents, resolveDir, platform = "neutral") {
  const result = await build({
    stdin: { contents, resolveDir, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform,
    target: "es2022",
    mainFields: ["module", "main"],
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
}
