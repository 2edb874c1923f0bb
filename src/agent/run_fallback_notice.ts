// After a run that answered: whether its session moved onto a fallback model (or back off one), told as the
// reference's runner tells it (agent/fallback_notice.ts decides; this reads and writes the session's state).
import type { SessionStore } from "../sessions/store.ts";
import type { ModelRef } from "./agents_config.ts";
import { fallbackTransition } from "./fallback_notice.ts";
import type { ModelAttempt } from "./run_failover.ts";
import type { RunEvents } from "./run_events.ts";
import type { RunLog } from "./run_log.ts";

/**
 * Compares the model that answered with the session's selected one and the state its notices last left: on a
 * change, the `fallback`/`fallback_cleared` event goes out and the session's `fallbackNotice` is written. The notice
 * itself, as the reference shows it (never in a group or channel room): a `chat.send` run's as a chat `final` of its
 * own (`shownIn: "chat"`), a channel DM's returned for the channel to send after the answer (`"channel"`).
 * A store that cannot be read or written costs the notice, never the answered run.
 */
export async function announceFallback(
  deps: { sessions: SessionStore; log: RunLog },
  run: {
    sessionKey: string;
    agentId: string;
    selected: ModelRef;
    active: ModelRef;
    attempts: readonly ModelAttempt[];
    events: RunEvents;
    shownIn: "chat" | "channel" | "nowhere";
  },
): Promise<string | undefined> {
  const { sessionKey, agentId } = run;
  try {
    const state = await deps.sessions.fallbackNotice(sessionKey, agentId);
    // A run that never left its selected model, on a session with no fallback on record: nothing to compare.
    if (!state && run.selected.provider === run.active.provider && run.selected.model === run.active.model) {
      return undefined;
    }
    const change = fallbackTransition({
      selected: run.selected,
      active: run.active,
      attempts: run.attempts.filter((a) => a.result !== "success").map((a) => ({
        provider: a.provider,
        model: a.model,
        ...(a.error ? { error: a.error } : {}),
        ...(a.reason ? { reason: a.reason } : {}),
        ...(a.status !== undefined ? { status: a.status } : {}),
      })),
      state,
    });
    if (change.next) await deps.sessions.setFallbackNotice(sessionKey, agentId, change.next.state);
    if (!change.event) return undefined;
    run.events.fallbackNotice(change.event, run.shownIn === "chat" ? change.notice : undefined);
    return run.shownIn === "channel" ? change.notice : undefined;
  } catch (error) {
    deps.log.warn(`model fallback notice for ${sessionKey} not recorded: ${(error as Error).name}`);
    return undefined;
  }
}
