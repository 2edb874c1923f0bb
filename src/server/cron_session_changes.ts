// The sessions a `cron` event changes the row of: a job added, edited or removed (or disabled by its
// own run) changes `hasAutomation` of the sessions it is bound to, so the reference's cron service
// tells them (`sessions.changed`, reason `cron-binding`, with the row) and its Control UI's sidebar
// offers or drops "Automation attached" without a reload. As the reference, the sessions the job is
// bound to after the change: an edit that moves a job tells its new session only (recorded:
// tests/fixtures/reference_ui_live/).
import type { CronEvent } from "../automation/cron_events.ts";
import { cronJobBoundSessionKeys } from "../agent/cron_session_binding.ts";
import { agentOfKey } from "../sessions/store.ts";

/** A session a `cron` event changed: its store key and agent. */
export interface CronBoundSession {
  key: string;
  agentId: string;
}

/** The sessions whose rows `event` changed (none for a run's start, schedule or a finish that left the job on). */
export function cronBindingChanges(
  event: CronEvent,
  context: { defaultAgentId: string; mainKey: string },
): CronBoundSession[] {
  const { job } = event;
  if (!job) return [];
  const binding = event.action === "added" || event.action === "updated" || event.action === "removed" ||
    (event.action === "finished" && job.enabled === false);
  if (!binding) return [];
  try {
    return [...cronJobBoundSessionKeys(job, context.defaultAgentId, context.mainKey)].flatMap((key) => {
      const agentId = agentOfKey(key);
      return agentId ? [{ key, agentId }] : [];
    });
  } catch {
    // A job whose target cannot be read binds no session (the reference's resolver gives none too).
    return [];
  }
}
