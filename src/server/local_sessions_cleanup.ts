// `openclaw sessions cleanup` on this host, for the CLI (which may not reach into sessions/ itself): the
// preview of a store, and the real run through a SessionStore opened on the state dir for it (no gateway
// owns the state dir then; while one does, the CLI asks its `sessions.cleanup` instead).
import {
  applyCleanup,
  cleanTargets,
  type CleanupFailure,
  type CleanupRunOptions,
  type CleanupSummary,
  type CleanupTarget,
} from "../sessions/cleanup_run.ts";
import { SessionStore } from "../sessions/store.ts";

export type {
  CleanupFailure,
  CleanupPreview,
  CleanupRunOptions,
  CleanupSummary,
  CleanupTarget,
} from "../sessions/cleanup_run.ts";
export { cleanupJson, previewCleanup, SessionsCleanupError } from "../sessions/cleanup_run.ts";

/**
 * Cleans each target for real, in one transaction per store, opening the state dir's databases for it;
 * throws SessionsCleanupError when the first store fails.
 */
export async function cleanLocally(
  stateDir: string,
  targets: readonly CleanupTarget[],
  options: CleanupRunOptions,
): Promise<{ summaries: CleanupSummary[]; failure?: CleanupFailure }> {
  const store = new SessionStore(stateDir);
  try {
    return await cleanTargets(targets, async (target) => (await applyCleanup(store, target, options)).summary);
  } finally {
    await store.close();
  }
}
