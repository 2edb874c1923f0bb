// `session:patch`: an authorized `sessions.patch`, or a model choice a chat persisted (`/model`), as the
// reference's triggerSessionPatchHook emits it: asynchronous, with cloned snapshots a handler cannot edit back.
import type { InternalHookEmitter } from "./internal_hooks.ts";
import { observeInternalHook } from "./message_hook_emit.ts";

/** What a `session:patch` event reports: the entry after the patch, the patch as requested, and the config. */
export interface SessionPatchFacts {
  sessionEntry: Record<string, unknown>;
  /** Request-shaped: the target (`key`) and the submitted settings, not a diff. */
  patch: Record<string, unknown>;
  cfg: unknown;
}

/** Emits `session:patch` for `sessionKey` without waiting for its handlers. */
export function emitSessionPatch(
  hooks: InternalHookEmitter | undefined,
  sessionKey: string,
  facts: () => SessionPatchFacts,
): void {
  observeInternalHook(hooks, { type: "session", action: "patch", sessionKey }, () => {
    const { sessionEntry, patch, cfg } = facts();
    return structuredClone({ sessionEntry, patch, cfg });
  });
}
