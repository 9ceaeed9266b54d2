import { type Answer, isTokenRefused, type OperationName, RequestTimeoutError } from "./errors.js";
import { POLARITY } from "./generated/facts.js";
import type { paths } from "./generated/schema.js";
import type { Context } from "./options.js";
import { redactor } from "./redact.js";
import { abortable, requestId, withRetries } from "./retry.js";
import { parseConfToken, tokenCache } from "./token.js";
import type {
  ConfToken,
  ControlResult,
  CreateConfTokenRequest,
  MeetingControlClient,
  ParticipantRequest,
  SecretSource,
} from "./types.js";
import { checkChoice, checkHeaders, checkId, checkSecret, checkSignal } from "./validate.js";

// Each operation's body field and each action's wire value (opposite polarities), from the spec.
const { field: video, ...CAMERA } = POLARITY.InviteOperateVideo;
const { field: share, ...SHARE } = POLARITY.InviteShare;

type ControlPath =
  | "/v1/mmc/control/conferences/participants/video"
  | "/v1/mmc/control/conferences/participants/share/invite";
/** The request body the spec gives a control operation's path. */
export type ControlBody<P extends ControlPath> = NonNullable<
  paths[P]["put"]["requestBody"]
>["content"]["application/json"];
/** Sends one control operation: `body` is typed by `path`, so the two cannot be swapped. */
export type Put = <P extends ControlPath>(
  operation: "InviteOperateVideo" | "InviteShare",
  path: P,
  body: ControlBody<P>,
  request: ParticipantRequest,
) => Promise<ControlResult>;

/**
 * The client: its two control operations, on its `token` or on tokens from `createConfToken`
 * (cached per conference), beside `createConfToken` and `raw`.
 */
export function controls({
  raw,
  operations,
  retry,
  token,
  hostPassword: fallback,
  tokenCacheSize,
}: Context): MeetingControlClient {
  /**
   * `source`, checked. A function's answer comes within `timeoutMs` and the caller's `signal`: a
   * stalled vault can neither hold a call for ever nor, through the token cache, its conference.
   */
  const secret = async (
    field: string,
    source: SecretSource,
    conferenceID: string,
    operation: OperationName,
    signal: AbortSignal | undefined,
  ) => {
    if (typeof source !== "function") return checkSecret(field, source);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const value = await abortable(
      () =>
        new Promise<string>((resolve, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new RequestTimeoutError(
                  `${operation} timed out after ${retry.timeoutMs} ms waiting for ${field}`,
                  { operation },
                ),
              ),
            retry.timeoutMs,
          );
          Promise.resolve(conferenceID).then(source).then(resolve, reject);
        }),
      signal,
      operation,
    ).finally(() => clearTimeout(timer));
    return checkSecret(field, value);
  };
  // Every configured secret, stripped from what an error carries besides a call's own.
  const secrets = [token, fallback];
  /**
   * `refused`: a token the caller just sent, redacted from this request's error as well. The
   * token cache's `sent` is told the password sent, which the control calls on that token
   * redact too (the host it was sent to may echo it there).
   */
  const createConfToken = async (
    request: CreateConfTokenRequest,
    refused?: string,
    sent?: (password: string) => void,
  ): Promise<ConfToken> => {
    const {
      conferenceID,
      hostPassword = fallback,
      signal,
      headers,
    } = Object(request) as CreateConfTokenRequest;
    checkId("conferenceID", conferenceID);
    checkSignal(signal);
    const extra = checkHeaders(headers);
    // Missing here and in the client's options, it is refused as `undefined`.
    const password = await secret(
      "hostPassword",
      hostPassword as SecretSource,
      conferenceID,
      "CreateConfToken",
      signal,
    );
    sent?.(password);
    const redacted = [...secrets, password, refused];
    const answer = await withRetries("CreateConfToken", retry, signal, redacted, (attempt) =>
      operations.GET("/v1/mmc/control/conferences/token", {
        params: {
          query: { conferenceID },
          header: { "X-Password": password, "X-Login-Type": 1 },
        },
        headers: extra,
        parseAs: "text",
        signal: attempt,
      }),
    );
    return parseConfToken(answer, redacted);
  };
  const tokens = tokenCache(createConfToken, tokenCacheSize);
  const put: Put = async (operation, path, body, request) => {
    const { conferenceID, participantID, signal, headers } = Object(request) as ParticipantRequest;
    checkId("conferenceID", conferenceID);
    checkId("participantID", participantID);
    checkSignal(signal);
    const extra = checkHeaders(headers);
    // Every credential this call sent, a refused token included, is redacted from what it shows.
    const used: unknown[] = [...secrets];
    // Widened, never narrowed: openapi-fetch types a call by a known path, not a generic one, so
    // `Put`'s signature is what keeps each body to its path.
    const send = (credential: string) => {
      used.push(credential);
      return withRetries(operation, retry, signal, used, (attempt) =>
        operations.PUT(path as ControlPath, {
          params: { query: { conferenceID, participantID } },
          headers: { ...extra, "X-Conference-Authorization": credential },
          body: body as ControlBody<ControlPath>,
          parseAs: "text",
          signal: attempt,
        }),
      );
    };
    let answer: Answer;
    if (token) {
      // A string token was checked with the options; a function's answer is checked each time.
      answer = await send(
        typeof token === "string"
          ? token
          : await secret("token", token, conferenceID, operation, signal),
      );
    } else {
      // A shared token request goes on for other callers; this caller stops waiting on abort,
      // and an aborted caller starts none.
      const cached = (refused?: string) =>
        abortable(() => tokens(conferenceID, refused), signal, operation);
      const [credential, password] = await cached();
      used.push(password);
      try {
        answer = await send(credential);
      } catch (error) {
        // A refused cached token is refreshed once.
        if (!isTokenRefused(error)) throw error;
        const [fresh, again] = await cached(credential);
        used.push(again);
        answer = await send(fresh);
      }
    }
    // Redacted like an error's: a server may echo the credential as its request id.
    const id = requestId(answer);
    return { requestId: id && redactor(used)(id) };
  };
  return {
    inviteCamera: async (request) =>
      put(
        "InviteOperateVideo",
        "/v1/mmc/control/conferences/participants/video",
        { [video]: checkChoice("action", Object(request).action, CAMERA) },
        request,
      ),
    inviteScreenShare: async (request) =>
      put(
        "InviteShare",
        "/v1/mmc/control/conferences/participants/share/invite",
        { [share]: checkChoice("action", Object(request).action, SHARE) },
        request,
      ),
    // Its one argument only: the others are the token cache's (`.map(client.createConfToken)`
    // passes an index and the array).
    createConfToken: (request) => createConfToken(request),
    raw,
  };
}
