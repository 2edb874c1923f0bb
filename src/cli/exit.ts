import { ConfigError } from "../config/errors.ts";
import { StartupError } from "../server/startup_error.ts";
import { printError } from "./output.ts";

/** EX_CONFIG: a start-up refusal a supervisor should not retry (`RestartPreventExitStatus=78`). */
export const EXIT_CONFIG = 78;
/** Generic failure, bad usage, and transient start-up failures a supervisor should retry. */
export const EXIT_FAILURE = 1;

/**
 * The exit code for an error that reached the CLI edge. A taken port is transient (the other
 * process may go away), so it exits 1 and a unit restarts, as does the reference's generic start failure;
 * refusals only an operator can fix exit 78.
 */
export function exitCodeFor(error: unknown): number {
  if (error instanceof StartupError) {
    return error.kind === "conflict" || error.kind === "runtime" ? EXIT_FAILURE : EXIT_CONFIG;
  }
  if (error instanceof ConfigError) return error.exitKind === "usage" ? EXIT_FAILURE : EXIT_CONFIG;
  return EXIT_FAILURE;
}

/** Prints one clear message for an error and returns its exit code. */
export function reportError(error: unknown, options: { prefix?: string } = {}): number {
  const message = error instanceof Error ? error.message : String(error);
  const known = error instanceof StartupError || error instanceof ConfigError;
  printError(`${options.prefix ?? ""}${message}`);
  if (!known && error instanceof Error && error.stack) printError(error.stack);
  return exitCodeFor(error);
}

/** Ends the process. The only caller of `Deno.exit` in the program. */
export function exit(code: number): never {
  Deno.exit(code);
}
