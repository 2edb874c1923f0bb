// The automatic reset in `chat.history`: the reference keeps the session's transcript across a reset its
// policy makes (`session.reset`) and writes a marker message there (`role: "system"`, text "Reset",
// `__openclaw.kind: "reset"`), which its Control UI draws as a "Session reset" divider. Here the reset
// starts a new window (reason `rollover`), so the marker heads that window's history instead.
import type { SessionStore } from "../../sessions/store.ts";

/** The marker message of a reset at `at`, as the reference projects it for clients (`id`: 8 hex digits). */
export function resetMarker(sessionId: string, at: number): Record<string, unknown> {
  return {
    role: "system",
    content: [{ type: "text", text: "Reset" }],
    timestamp: at,
    __openclaw: { kind: "reset", id: sessionId.replaceAll("-", "").slice(0, 8) },
  };
}

/**
 * The history page with the reset marker first when the page starts at the window's beginning
 * (`first` 0) and the window is an automatic rollover; the page as it is otherwise.
 */
export async function withResetMarker(
  sessions: Pick<SessionStore, "windowStart">,
  window: { agentId: string; sessionId: string | undefined },
  views: Record<string, unknown>[],
  first: number,
): Promise<Record<string, unknown>[]> {
  if (first !== 0 || !window.sessionId) return views;
  const start = await sessions.windowStart(window.agentId, window.sessionId);
  return start?.reason === "rollover" ? [resetMarker(window.sessionId, start.createdAt), ...views] : views;
}
