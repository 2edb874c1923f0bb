// The `previousSessionMemory` of a chat `/new` or `/reset` command event: the ended window's recent conversation,
// captured before the reset as the reference's chat path captures it for hooks that cannot read it afterwards.
import { isJsonObject } from "../log/json_object.ts";
import { DEFAULT_MEMORY_MESSAGES, memoryProjection } from "../sessions/session_memory_excerpt.ts";
import type { SessionStore } from "../sessions/store.ts";

/** How many messages the capture keeps: `hooks.internal.entries.session-memory.messages` when positive, else 15. */
function messageLimit(cfg: Record<string, unknown> | undefined): number {
  const hooks = isJsonObject(cfg?.hooks) ? cfg.hooks : undefined;
  const internal = isJsonObject(hooks?.internal) ? hooks.internal : undefined;
  const entries = isJsonObject(internal?.entries) ? internal.entries : undefined;
  const entry = isJsonObject(entries?.["session-memory"]) ? entries["session-memory"] : undefined;
  return typeof entry?.messages === "number" && entry.messages > 0 ? entry.messages : DEFAULT_MEMORY_MESSAGES;
}

/** The capture: `available` with the excerpt (null content when nothing is kept), or `unavailable` and why. */
export async function capturePreviousSessionMemory(
  sessions: Pick<SessionStore, "windowMessages">,
  agentId: string,
  sessionId: string,
  cfg: Record<string, unknown> | undefined,
): Promise<Record<string, unknown>> {
  try {
    const projection = memoryProjection(await sessions.windowMessages(agentId, sessionId), messageLimit(cfg));
    return projection
      ? { status: "available", ...projection }
      : { status: "available", content: null, originClass: "agent" };
  } catch (error) {
    return { status: "unavailable", reason: error instanceof Error ? error.message : String(error) };
  }
}
