// The `hasAutomation` of a session row, wired: the scheduler's jobs (none while it is not loaded) and
// the config's main key, read on each view so a job added or a reload is seen by the next row.
import type { CronControl } from "../agent/cron_control.ts";
import { automationSessionKeys } from "../agent/cron_session_binding.ts";
import { mainSessionSettings } from "../config/client_facts.ts";

/** What the lookup reads: the scheduler, the default agent and the raw config (for `session.mainKey`). */
export interface SessionAutomationDeps {
  cron: () => CronControl | undefined;
  defaultAgentId: () => string;
  rawConfig: () => Parameters<typeof mainSessionSettings>[0];
}

/** A session view's `hasAutomation`: whether an enabled cron job is bound to the session key. */
export function sessionAutomationLookup(deps: SessionAutomationDeps): (sessionKey: string) => boolean {
  const jobs = deps.cron()?.list() ?? [];
  if (jobs.length === 0) return () => false;
  const context = { defaultAgentId: deps.defaultAgentId(), mainKey: mainSessionSettings(deps.rawConfig()).mainKey };
  const keys = automationSessionKeys(jobs, context);
  return (sessionKey) => keys.has(sessionKey);
}
