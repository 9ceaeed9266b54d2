import {
  ApiError,
  type InvalidInputError,
  MeetingControlError,
  NetworkError,
  RequestTimeoutError,
} from "@meeting-control/client";
import type { WireRequest } from "./scenarios.js";

export type Row = [term: string, value: string | Node | undefined];

/** The control request of a click, and how it got its token (with a host password). */
export type Wire = WireRequest & { token?: string };

export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function block(
  kind: "success" | "failure" | "pending" | "state",
  title: string,
  rows: Row[],
) {
  const box = element("div", `outcome ${kind}`);
  const mark = { success: "✓", failure: "✗", pending: "…", state: "●" }[kind];
  const heading = element("p", "outcome-title");
  heading.append(element("span", "mark", mark), ` ${title}`);
  box.append(heading);
  const list = element("dl");
  for (const [term, value] of rows) {
    if (value === undefined || value === "") continue;
    const description = element("dd");
    description.append(value);
    list.append(element("dt", undefined, term), description);
  }
  if (list.childElementCount) box.append(list);
  return box;
}

/** The URL, allowed to wrap after each `/` on a narrow screen. */
function requestLine(method: string, value: string) {
  const span = element("span", undefined, `${method} `);
  value.split(/(?<=\/)/).forEach((part, i) => {
    if (i) span.append(element("wbr"));
    span.append(part);
  });
  return span;
}

const wireRows = (wire: Wire | undefined): Row[] =>
  wire
    ? [
        ["Request", requestLine(wire.method, wire.url)],
        ["Body sent", wire.body],
        ["Token", wire.token],
        ["Mock scenario", wire.prefer && `Prefer: ${wire.prefer}`],
      ]
    : [];

const time = () => new Date().toLocaleTimeString();

export const pending = (label: string, wire: Wire) =>
  block("pending", `Sending: ${label}`, wireRows(wire));

export const success = (label: string, requestId: string | undefined, wire?: Wire) =>
  block("success", `Success: ${label}. The invitation was sent.`, [
    ["Request id", requestId ?? "(none: the answer had no X-Request-Id)"],
    ...wireRows(wire),
    ["At", time()],
  ]);

/** Invalid input: the client threw before sending anything. */
export const invalid = (label: string, error: InvalidInputError, fieldLabel?: string) =>
  block("failure", `Not sent: ${label}. Fix the ${fieldLabel ?? error.field} field.`, [
    ["Field", fieldLabel ? `${fieldLabel} (${error.field})` : error.field],
    ["Message", error.message],
    ["Allowed", error.allowed?.join(", ")],
    ["Error class", error.name],
    ["Requests sent", "none"],
  ]);

export function failure(label: string, error: unknown, wire: Wire | undefined, hint?: string) {
  if (error instanceof ApiError) {
    return block("failure", `Failed: ${label}. The service answered HTTP ${error.status}.`, [
      ["Status", String(error.status)],
      ["Code", error.code ?? "(none: the body was not the service's error JSON)"],
      ["Service message", error.serviceMessage],
      ["Request id", error.requestId ?? "(none: the answer had no X-Request-Id)"],
      ["Error class", `${error.name} (an ApiError)`],
      ["Operation", error.operation],
      ["Hint", hint],
      ...wireRows(wire),
      ["At", time()],
    ]);
  }
  if (error instanceof RequestTimeoutError || error instanceof NetworkError) {
    return block("failure", `Failed: ${label}. The service could not be reached.`, [
      ["Error class", error.name],
      ["Message", error.message],
      ["Hint", "Is the mock running? Start it with pnpm mock, or check the base URL."],
      ...wireRows(wire),
      ["At", time()],
    ]);
  }
  if (error instanceof MeetingControlError) {
    return block("failure", `Failed: ${label}.`, [
      ["Error class", error.name],
      ["Message", error.message],
      ["Request id", error.requestId],
      ...wireRows(wire),
      ["At", time()],
    ]);
  }
  return block("failure", `Failed: ${label}. Unexpected error.`, [
    ["Error", error instanceof Error ? `${error.name}: ${error.message}` : String(error)],
    ["At", time()],
  ]);
}
