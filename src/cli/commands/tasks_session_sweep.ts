// The session-registry part of `openclaw tasks maintenance`. The reference also prunes cron-run session
// entries older than a week there; this gateway keeps its session entries to `sessions` and its own
// retention, so the sweep reports the reference's shape with nothing pruned and no store visited.

/** How old a session entry the reference's sweep would prune (7 days). */
const SESSION_REGISTRY_RETENTION_MS = 7 * 24 * 3_600_000;

/** What the sweep reports (the reference's `maintenance.sessions`). */
export interface SessionSweep {
  retentionMs: number;
  runningCronJobs: number;
  pruned: number;
  skippedStores: number;
  stores: unknown[];
  skippedReason?: string;
}

/** The sweep's report: the reference's shape, nothing pruned. */
export function sessionRegistrySweep(_options: { apply: boolean }): SessionSweep {
  return { retentionMs: SESSION_REGISTRY_RETENTION_MS, runningCronJobs: 0, pruned: 0, skippedStores: 0, stores: [] };
}
