// The bundled `session-memory` hook: on `/new`, `/reset` and an automatic daily/idle reset it writes the ended session window's recent
// conversation to `<workspace>/memory/YYYY-MM-DD-HHMM.md` (`-2`, `-3`... when that name is taken), as the
// reference's handler does. The reference names the file by a model-made slug only when the hook's
// `llmSlug` option is true; this gateway always uses the time slug (docs/compatibility.md).
import { join } from "node:path";
import type { InternalHookEvent, InternalHookHandler } from "../agent/internal_hooks.ts";
import { isJsonObject } from "../log/json_object.ts";
import type { Logger } from "../log/logger.ts";
import type { TranscriptMessage } from "../sessions/transcript.ts";
import { DEFAULT_MEMORY_MESSAGES, memoryExcerpt } from "../sessions/session_memory_excerpt.ts";
import { localStamp, memoryMarkdown, memoryTimeZone } from "./session_memory_text.ts";

/** What the handler reads and where it writes. */
export interface SessionMemoryDeps {
  /** The messages of one transcript window by its session id, oldest first. */
  windowMessages(agentId: string, sessionId: string): Promise<TranscriptMessage[]>;
  /** The workspace of an agent (when the event names none). */
  workspaceOf(agentId: string): string | undefined;
  /** `agents.defaults.userTimezone` as written, or `TZ`. */
  timeZone(): string | undefined;
  /** `hooks.internal.entries.session-memory` as written. */
  entry(): Record<string, unknown> | undefined;
  /** The home directory shown as `~` in the log line. */
  home: string;
  log: Pick<Logger, "info" | "warn" | "error">;
}

/** A path under `home` written with `~`, as the reference's log line shows it. */
function shortenHome(path: string, home: string): string {
  return home && home !== "/" && (path === home || path.startsWith(`${home}/`)) ? `~${path.slice(home.length)}` : path;
}

/** The first free `<date>-<slug>[-n].md` in `dir`. */
async function freeFilename(dir: string, base: string): Promise<string> {
  for (let suffix = 1;; suffix++) {
    const name = suffix === 1 ? `${base}.md` : `${base}-${suffix}.md`;
    try {
      await Deno.lstat(join(dir, name));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return name;
      throw error;
    }
  }
}

/** `/new`, `/reset`, or an automatic (daily or idle) reset: the events whose ended window is saved. */
function isMemoryEvent(event: InternalHookEvent): boolean {
  if (event.type === "command") return event.action === "new" || event.action === "reset";
  return event.type === "session" && event.action === "auto-reset" &&
    (event.context.reason === "daily" || event.context.reason === "idle");
}

function stringField(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() ? value.trim() : undefined;
}

/**
 * Writes the memory file of one `command:new`/`command:reset` event and answers its path (undefined when the
 * event is not one). Failures are logged as the reference logs them, never thrown.
 */
export async function saveSessionMemory(
  event: InternalHookEvent,
  deps: SessionMemoryDeps,
): Promise<string | undefined> {
  if (!isMemoryEvent(event)) return undefined;
  try {
    const context = event.context;
    const agentId = stringField(context.agentId);
    if (!agentId) throw new Error("Session memory hook contract requires context.agentId");
    const workspace = stringField(context.workspaceDir) ?? deps.workspaceOf(agentId);
    if (!workspace) throw new Error(`No workspace for agent ${agentId}`);
    // An automatic reset's `sessionEntry` is the ended window; a command's is the new one.
    const previous = event.type === "command" && isJsonObject(context.previousSessionEntry)
      ? context.previousSessionEntry
      : isJsonObject(context.sessionEntry)
      ? context.sessionEntry
      : {};
    const sessionId = stringField(previous.sessionId);
    const configured = deps.entry()?.messages;
    const limit = typeof configured === "number" && configured > 0 ? configured : DEFAULT_MEMORY_MESSAGES;
    let excerpt: { content: string | null } | { unavailable: string };
    try {
      excerpt = { content: sessionId ? memoryExcerpt(await deps.windowMessages(agentId, sessionId), limit) : null };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      deps.log.warn("Session transcript unavailable for memory capture", {
        sessionKey: event.sessionKey,
        error: reason,
      });
      excerpt = { unavailable: reason };
    }
    const timeZone = memoryTimeZone(deps.timeZone());
    const stamp = localStamp(event.timestamp, timeZone);
    const dir = join(workspace, "memory");
    await Deno.mkdir(dir, { recursive: true });
    const filename = await freeFilename(dir, `${stamp.date}-${stamp.slug}`);
    const path = join(dir, filename);
    const text = memoryMarkdown({
      date: stamp.date,
      time: stamp.time,
      timeZone,
      sessionKey: event.sessionKey,
      sessionId,
      boundary: event.type === "session"
        ? { reason: stringField(context.reason) ?? "unknown" }
        : { source: stringField(context.commandSource) ?? "unknown" },
      excerpt,
    });
    // `createNew`: a file that appeared since the name was chosen is never overwritten.
    await Deno.writeTextFile(path, text, { createNew: true });
    deps.log.info(`Session context saved to ${shortenHome(path, deps.home)}`);
    return path;
  } catch (error) {
    deps.log.error("Failed to save session memory", {
      errorName: error instanceof Error ? error.name : undefined,
      errorMessage: error instanceof Error ? error.message : String(error),
    });
    return undefined;
  }
}

/**
 * The handler. As in the reference, a command's write runs on after the handler returns: `/new` is answered
 * without waiting for the file.
 */
export function sessionMemory(deps: SessionMemoryDeps): InternalHookHandler {
  return (event) => {
    if (!isMemoryEvent(event)) return;
    void saveSessionMemory(event, deps);
  };
}
