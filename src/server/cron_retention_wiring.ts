// `cron.sessionRetention` in the gateway: the session sweep (automation/cron_session_sweep.ts) over the
// session store, asked for after every cron run as the reference's reaper runs after its timer ticks.
import type { AgentRuns } from "../agent/runs.ts";
import type { CronJobRunner } from "../automation/cron_runner.ts";
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
    maintain: (agentId, work) => from.sessions.maintain(agentId, work),
    inUse: (key) => from.runs.activeRunIds(key).length > 0,
    log: from.log,
  });
}

/** The runner, with a sweep asked for once each run has ended. */
export function sweepAfterRuns(sweeper: CronSessionSweeper, runner: CronJobRunner): CronJobRunner {
  return async (job, context) => {
    try {
      return await runner(job, context);
    } finally {
      sweeper.request();
    }
  };
}
