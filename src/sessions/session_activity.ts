// A session entry's lifecycle timestamps as its reset policy reads them (the reference's
// resolveSessionLifecycleTimestamps): what is not a number is absent, and the decision falls back.
import type { SessionActivity } from "../config/session_reset_decision.ts";

/** The timestamps with the session id they belong to. */
export interface StoredActivity extends SessionActivity {
  sessionId: string | undefined;
}

function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** `sessionId`, `updatedAt`, `sessionStartedAt` and `lastInteractionAt` of a stored entry (`entry_json`). */
export function activityOfEntry(entry: Record<string, unknown>): StoredActivity {
  return {
    sessionId: typeof entry.sessionId === "string" ? entry.sessionId : undefined,
    // An entry without one (written by hand) is judged by its other timestamps, never as the stale `0` marker.
    updatedAt: numberOrUndefined(entry.updatedAt) ?? Number.NaN,
    sessionStartedAt: numberOrUndefined(entry.sessionStartedAt),
    lastInteractionAt: numberOrUndefined(entry.lastInteractionAt),
  };
}
