// `openclaw agents delete` with no gateway running, for the CLI (which may not reach into automation/ itself):
// the deleted agent's cron jobs removed from the state dir's store, as the reference's CLI removes them when the
// gateway is unreachable (while one runs, its `agents.delete` removes them through the live scheduler).
import { cronJobOfAgent } from "../agent/cron_control.ts";
import { SqliteCronStore } from "../automation/sqlite_cron_store.ts";
import { openExistingStateDb } from "../state/state_db_existing.ts";
import type { StateDbAccess } from "../state/state_write_fence.ts";

/** Removes the jobs bound to `agentId` from the state dir's cron store; answers how many. None without a store. */
export function removeLocalAgentCronJobs(stateDir: string, agentId: string, access: StateDbAccess): number {
  const db = openExistingStateDb(stateDir, access);
  if (!db) return 0;
  try {
    const store = new SqliteCronStore(db, { stateDir });
    const bound = store.loadJobs().filter((job) => cronJobOfAgent(job, agentId));
    for (const job of bound) store.deleteJob(job.id);
    return bound.length;
  } finally {
    db.close();
  }
}
