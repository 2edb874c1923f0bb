// The bundled `command-logger` hook: one JSON line per command event (`/new`, `/reset`, `/stop`) appended to
// `<stateDir>/logs/commands.log`, with the reference's fields and `unknown` for a missing sender or source.
import type { InternalHookEvent, InternalHookHandler } from "../agent/internal_hooks.ts";
import type { Logger } from "../log/logger.ts";

/** The commands.log line of a command event, newline included. */
export function commandLogLine(event: InternalHookEvent): string {
  return JSON.stringify({
    timestamp: event.timestamp.toISOString(),
    action: event.action,
    sessionKey: event.sessionKey,
    senderId: event.context.senderId ?? "unknown",
    source: event.context.commandSource ?? "unknown",
  }) + "\n";
}

/** The handler: appends the line, and logs (never throws) a write that fails, as the reference does. */
export function commandLogger(deps: { stateDir: string; log: Pick<Logger, "error"> }): InternalHookHandler {
  return async (event) => {
    if (event.type !== "command") return;
    try {
      const dir = `${deps.stateDir}/logs`;
      await Deno.mkdir(dir, { recursive: true });
      await Deno.writeTextFile(`${dir}/commands.log`, commandLogLine(event), { append: true });
    } catch (error) {
      deps.log.error(`Failed to log command: ${error instanceof Error ? error.message : error}`);
    }
  };
}
