// The `command:new`/`command:reset` event of a reset a Gateway method makes (sessions.reset, a bare `/new` or
// `/reset` through `agent`, sessions.create with `emitCommandHooks` for a parent), as the reference's Gateway reset
// emits it: before the reset, the entry being replaced as both entries, no sender, no `previousSessionMemory`.
// Replies a handler pushes are not routed anywhere.
import type { SessionStore } from "../sessions/store.ts";
import { sessionRowCopy } from "../sessions/session_row.ts";
import type { AgentsConfig } from "./agents_config.ts";
import { createInternalHookEvent, type InternalHookEmitter } from "./internal_hooks.ts";

/** What the event is built from. */
export interface GatewayResetHookDeps {
  hooks?: InternalHookEmitter | undefined;
  sessions: Pick<SessionStore, "get" | "summary">;
  agents(): AgentsConfig;
  /** The config as written: the event's `cfg`. */
  rawConfig?: (() => Record<string, unknown>) | undefined;
}

/** Where the event was caused: the reference's `commandSource` of each Gateway path. */
export type GatewayCommandSource = "gateway:sessions.reset" | "gateway:agent" | "webchat";

/** Emits the event for one session when a hook listens, awaited; answers whether it was emitted. */
export async function emitGatewayReset(
  deps: GatewayResetHookDeps,
  target: { agentId: string; sessionKey: string; action: "new" | "reset"; commandSource: GatewayCommandSource },
): Promise<boolean> {
  const { agentId, sessionKey, action, commandSource } = target;
  if (!deps.hooks?.listens("command", action)) return false;
  // A copy: the store keeps its rows, and a handler that changes its entry must not change the gateway's.
  const kept = await deps.sessions.get(sessionKey, agentId);
  const entry = kept && sessionRowCopy(kept);
  await deps.hooks.trigger(createInternalHookEvent("command", action, sessionKey, {
    agentId,
    sessionEntry: entry,
    previousSessionEntry: entry,
    commandSource,
    cfg: deps.rawConfig?.(),
    // This gateway's store is the agent's SQLite database, the file sessions.list names as `path`.
    storePath: deps.sessions.summary(agentId).path,
    workspaceDir: deps.agents().agents.find((agent) => agent.id === agentId)?.workspace,
  }));
  return true;
}
