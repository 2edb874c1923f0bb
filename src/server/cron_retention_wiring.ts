// `cron.sessionRetention` in the gateway: the session sweep (automation/cron_session_sweep.ts) over the
// session store, asked for when a run in a cron session ends, as the reference's reaper runs after its
// scheduler's runs.
import type { AgentRuns } from "../agent/runs.ts";
import { CronSessionSweeper } from "../automation/cron_session_sweep.ts";
import type { SessionStore } from "../sessions/store.ts";

/** The sweeper over the gateway's sessions and runs; the retention is read per sweep, so a reload reaches it. */
export function wireCronSessionSweep(from: {
  sessions: SessionStore;
  runs: AgentRuns;
  agentIds: () => string[];
  /** `cron.sessionRetention` in force (config/cron_retention.ts). */
  retentionMs: () => number | null;
  log: { info(message: string): void; warn(message: string): void };
}): CronSessionSweeper {
  return new CronSessionSweeper({
    retentionMs: from.retentionMs,
    agentIds: from.agentIds,
    maintain: (agentId, work) => from.sessions.maintainArchiving(agentId, work),
    inUse: (key) => from.runs.activeRunIds(key).length > 0,
    log: from.log,
  });
}

/**
 * What the run engine's `agent` events call: a sweep is asked for when a run in a cron session
 * (`agent:<id>:cron:...`) ends or fails, as the reference's reaper runs after its scheduler's runs.
 */
export function sweepAfterCronRuns(sweeper: CronSessionSweeper): (payload: Record<string, unknown>) => void {
  return (payload) => {
    if (payload.stream !== "lifecycle" || typeof payload.sessionKey !== "string") return;
    const phase = (payload.data as { phase?: unknown } | undefined)?.phase;
    if ((phase === "end" || phase === "error") && /^agent:[^:]+:cron:/i.test(payload.sessionKey)) sweeper.request();
  };
}
