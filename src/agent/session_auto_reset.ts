// The automatic reset at the start of a person's turn: when the session's policy (`session.reset`,
// `resetByType`, `resetByChannel`) finds it stale, a new session window starts before the message is
// written, and `session:auto-reset` fires as the reference fires it: after the reset, not awaited.
import { isStale } from "../config/session_reset_decision.ts";
import { type RawSessionResetConfig, resolveResetPolicy, sessionResetType } from "../config/session_reset_policy.ts";
import type { SessionStore } from "../sessions/store.ts";
import type { AgentsConfig } from "./agents_config.ts";
import { createInternalHookEvent, type InternalHookEmitter } from "./internal_hooks.ts";
import { capturePreviousSessionMemory } from "./session_memory_capture.ts";

/** What the check reads and writes. */
export interface AutoResetDeps {
  sessions: Pick<SessionStore, "activity" | "lastRoute" | "reset" | "windowMessages" | "summary">;
  /** The `session` section as currently written (edits apply from the next turn). */
  sessionConfig(): RawSessionResetConfig | undefined;
  agents(): AgentsConfig;
  hooks?: InternalHookEmitter | undefined;
  /** The config as written: the event's `cfg`. */
  rawConfig?: (() => Record<string, unknown>) | undefined;
  /** Told when a hook handler fails (the reference logs it and goes on). */
  onHookError?: ((error: unknown) => void) | undefined;
}

/** A reset that happened: the window that ended, the one that starts, and why. */
export interface AutoReset {
  previousSessionId: string | undefined;
  sessionId: string;
  /** `daily` or `idle`; `stale` for an entry the reference treats as stale whatever the policy. */
  reason: "daily" | "idle" | "stale";
}

/** Whether any reset policy is written: without one no session is read. */
function anyPolicy(session: RawSessionResetConfig | undefined): session is RawSessionResetConfig {
  return Boolean(session?.reset || session?.resetByType || session?.resetByChannel);
}

/**
 * Resets the session when its policy finds it stale at `now`; undefined when it is fresh or does not exist.
 * `channel` is the channel the message came on; without one, the channel the session last talked on.
 */
export async function resetIfStale(
  deps: AutoResetDeps,
  target: { agentId: string; sessionKey: string; channel?: string | undefined },
  now: number = Date.now(),
): Promise<AutoReset | undefined> {
  const { agentId, sessionKey } = target;
  const session = deps.sessionConfig();
  if (!anyPolicy(session)) return undefined;
  const activity = await deps.sessions.activity(sessionKey, agentId);
  if (!activity) return undefined;
  const channel = target.channel ??
    (session.resetByChannel ? (await deps.sessions.lastRoute(sessionKey, agentId))?.channel : undefined);
  const decision = isStale(now, activity, resolveResetPolicy(session, { type: sessionResetType(sessionKey), channel }));
  if (!decision.stale) return undefined;
  const previousSessionId = activity.sessionId;
  const reason = decision.reason ?? "stale";
  // Only a daily or idle reset is announced (the reference's isSessionAutoResetReason).
  const announce = reason !== "stale" && (deps.hooks?.listens("session", "auto-reset") ?? false);
  // Read before the reset, as the reference captures it for handlers that cannot read it afterwards.
  const previousSessionMemory = announce && previousSessionId
    ? await capturePreviousSessionMemory(deps.sessions, agentId, previousSessionId, deps.rawConfig?.())
    : undefined;
  // A rollover, not an asked-for reset: clients show the window's start as the reference's reset marker.
  const started = await deps.sessions.reset(sessionKey, agentId, { reason: "rollover" });
  if (announce) {
    const event = createInternalHookEvent("session", "auto-reset", sessionKey, {
      cfg: deps.rawConfig?.(),
      agentId,
      workspaceDir: deps.agents().agents.find((agent) => agent.id === agentId)?.workspace,
      // This gateway's store is the agent's SQLite database, the file sessions.list names as `path`.
      storePath: deps.sessions.summary(agentId).path,
      sessionEntry: { sessionId: previousSessionId },
      reason,
      // The ended window stays in the database as it was; nothing is archived.
      transcriptArchived: false,
      nextSessionId: started.sessionId,
      nextSessionKey: sessionKey,
      ...(previousSessionMemory ? { previousSessionMemory } : {}),
    });
    // Not awaited, as the reference's: the turn goes on while handlers run.
    deps.hooks!.trigger(event).catch((error) => deps.onHookError?.(error));
  }
  return { previousSessionId, sessionId: started.sessionId, reason };
}
