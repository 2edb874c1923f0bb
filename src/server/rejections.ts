import type { Logger } from "../log/logger.ts";
import { stackOf } from "../log/error_text.ts";

/**
 * The last line of defence of `gateway run`: a promise rejection nobody handled is logged with
 * its stack and the gateway keeps serving, instead of Deno's default of ending the process. Every
 * edge already catches its own failures; reaching this is a bug to fix, never a way to crash.
 * Returns a function that removes the handler.
 */
export function containRejections(log: Logger): () => void {
  const handler = (event: PromiseRejectionEvent) => {
    event.preventDefault();
    log.error(`unhandled rejection (a bug; the gateway keeps running): ${stackOf(event.reason)}`);
  };
  globalThis.addEventListener("unhandledrejection", handler);
  return () => globalThis.removeEventListener("unhandledrejection", handler);
}
