// The automatic reset in `chat.history`: the reference keeps the session's transcript across a reset its
// policy makes (`session.reset`) and writes a marker message there (`role: "system"`, text "Reset",
// `__openclaw.kind: "reset"`), which its Control UI draws as a "Session reset" divider with the old turns
// above it. Here the reset starts a new window (reason `rollover`), so a history page that reaches the
// window's start gets the marker there and, above it, the turns of the window it followed (and of the
// rollovers before that), as the reference's one transcript reads (recorded: tests/fixtures/reference_ui_live/).
import type { SessionStore } from "../../sessions/store.ts";
import type { TranscriptMessage } from "../../sessions/transcript.ts";

/** The marker message of a reset at `at`, as the reference projects it for clients (`id`: 8 hex digits). */
export function resetMarker(sessionId: string, at: number): Record<string, unknown> {
  return {
    role: "system",
    content: [{ type: "text", text: "Reset" }],
    timestamp: at,
    __openclaw: { kind: "reset", id: sessionId.replaceAll("-", "").slice(0, 8) },
  };
}

/** How the earlier windows' messages are shown: at most `room` of them, each as `view` makes it. */
export interface EarlierWindows {
  room: number;
  view(messages: TranscriptMessage[], sessionId: string): Record<string, unknown>[];
}

/**
 * The history page with the reset marker first when the page starts at the window's beginning (`first` 0)
 * and the window is an automatic rollover, and the newest messages of the windows before it above that
 * (within `earlier.room`); the page as it is otherwise. `earlierCount` is how many earlier messages it added.
 */
export async function withResetMarker(
  sessions: Pick<SessionStore, "windowStart" | "windowMessages">,
  window: { agentId: string; sessionId: string | undefined },
  views: Record<string, unknown>[],
  first: number,
  earlier: EarlierWindows,
): Promise<{ views: Record<string, unknown>[]; earlierCount: number }> {
  let out = views;
  let earlierCount = 0;
  let room = earlier.room - views.length;
  let sessionId = window.sessionId;
  if (first !== 0) return { views, earlierCount };
  while (sessionId) {
    const start = await sessions.windowStart(window.agentId, sessionId);
    if (start?.reason !== "rollover") break;
    out = [resetMarker(sessionId, start.createdAt), ...out];
    const previous = start.previousSessionId;
    if (!previous || room <= 0) break;
    // One more than fits tells whether that window's start is reached (then the one before it may show too).
    const messages = await sessions.windowMessages(window.agentId, previous, { limit: room + 1 });
    const shown = messages.slice(-room);
    const older = earlier.view(shown, previous);
    out = [...older, ...out];
    earlierCount += older.length;
    room -= shown.length;
    if (messages.length > shown.length) break;
    sessionId = previous;
  }
  return { views: out, earlierCount };
}
