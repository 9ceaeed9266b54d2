// The page's clients and what each click sent: one client per set of fields and scenario, so a
// token the client got with the host password is kept from one click to the next.
import { createMeetingControlClient, type MeetingControlClient } from "@meeting-control/client";
import type { Wire } from "./render.js";
import { scenarioFetch, type WireRequest } from "./scenarios.js";

export interface Credentials {
  baseUrl: string;
  token: string;
  hostPassword: string;
}

/** `onSend` sees each request as it leaves. */
export function session(onSend: (request: WireRequest) => void) {
  /** The requests of the latest click, in order (a token request before the control request). */
  let sent: WireRequest[] = [];
  const clients = new Map<string, MeetingControlClient>();
  return {
    /** A new click: what it sends is listed from here. */
    begin() {
      sent = [];
    },
    client(values: Credentials, prefer: string): MeetingControlClient {
      const key = JSON.stringify([values.baseUrl, values.token, values.hostPassword, prefer]);
      let client = clients.get(key);
      if (!client) {
        // No retries: one click, one request (and its token, when the client needs one).
        client = createMeetingControlClient({
          baseUrl: values.baseUrl,
          ...(values.token ? { token: values.token } : { hostPassword: values.hostPassword }),
          maxRetries: 0,
          timeoutMs: 8_000,
          fetch: scenarioFetch(prefer, (request) => {
            sent.push(request);
            onSend(request);
          }),
        });
        clients.set(key, client);
      }
      return client;
    },
    /** The click's control request, and how it got its token (with a host password). */
    wire(values: Credentials): Wire | undefined {
      const control = [...sent].reverse().find((r) => r.method === "PUT");
      if (!control) return sent.at(-1);
      if (values.token) return control;
      const fetched = sent.findIndex((r) => r.method === "GET");
      const token =
        fetched < 0
          ? "kept from an earlier click: the client reuses it until it expires or is refused"
          : fetched > 0
            ? "refused, so fetched again with CreateConfToken (X-Password), and the call retried"
            : "fetched first with CreateConfToken (the host password sent as X-Password)";
      return { ...control, token };
    },
  };
}
