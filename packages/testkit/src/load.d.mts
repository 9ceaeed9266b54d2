import type { Agent } from "node:http";

export interface SendOptions {
  /** false (the default): a fresh connection, closed after the answer. */
  agent?: Agent | false;
  /** How long the socket may stay idle while waiting. */
  timeoutMs?: number;
  /** The X-Conference-Authorization to send (a simulating mock wants a token it issued). */
  authorization?: string;
}

/** The meeting and participant every request names (a simulating mock must have them). */
export const LOAD_IDS: { conferenceID: string; participantID: string };

/**
 * One valid control request to `base` (camera and share alternate with `i`); resolves to its
 * status, 0 when it got no answer.
 */
export function sendValid(base: string, i: number, options?: SendOptions): Promise<number>;

export interface LoadResult {
  seconds: number;
  /** Milliseconds, one per request, in completion order. */
  latencies: number[];
  /** Requests answered with a status outside 2xx, or not answered. */
  failures: number;
  firstFailure: string | null;
}

/**
 * Sends `total` valid requests to `base` with `concurrency` in flight, over at most `concurrency`
 * keep-alive connections (opened by the run, closed at its end).
 */
export function runLoad(
  base: string,
  options: { total: number; concurrency: number; timeoutMs?: number; authorization?: string },
): Promise<LoadResult>;
