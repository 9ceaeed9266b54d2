export interface MockServerOptions {
  /** Port to listen on; 0 picks a free one. Default 4010. */
  port?: number;
  /** Host to listen on. Default 127.0.0.1. */
  host?: string;
  /** Generate responses from the schemas instead of answering the spec's examples. */
  dynamic?: boolean;
  /** How long to wait for Prism to answer before giving up. Default 30 000 ms. */
  startTimeoutMs?: number;
}

export interface MockServer {
  /** Base URL, e.g. `http://127.0.0.1:4010`: pass it as the client's `baseUrl`. */
  url: string;
  /** Stops Prism and its children; resolves when they are gone. */
  close(): Promise<void>;
  /**
   * Settles when the mock's process has ended, whether `close()` stopped it or it died (Prism
   * crashed or was killed): what is left of it is stopped by then. Never rejects.
   */
  exited: Promise<MockExit>;
}

/** How the mock's process ended. */
export interface MockExit {
  /** Its exit code, or `null` when a signal ended it. */
  code: number | null;
  /** The signal that ended it (e.g. `"SIGKILL"`), or `null`. */
  signal: string | null;
  /** The last lines it printed (at most 20), e.g. `meeting-control mock: Prism exited (SIGKILL)`. */
  output: string[];
}

/**
 * Starts the contract mock (Prism on the bundled spec) and resolves once it answers requests.
 * Rejects with a clear error if the port is taken or Prism fails to start. Prism stops with
 * `close()`, and also when this process exits or dies.
 */
export function startMockServer(options?: MockServerOptions): Promise<MockServer>;

export interface Scenario {
  operationId: "InviteOperateVideo" | "InviteShare" | "CreateConfToken";
  method: string;
  path: string;
  status: number;
  /** The example's name in the spec. */
  example: string;
  /** Value of the `Prefer` header that selects this answer. */
  prefer: string;
  summary: string;
  body: unknown;
}

/** Every named response example of the spec, with the `Prefer` header that triggers it. */
export function scenarios(): Scenario[];

/** Absolute path of the bundled spec (YAML) the mock serves. */
export const specPath: string;
