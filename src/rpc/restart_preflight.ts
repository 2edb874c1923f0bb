// What a safe restart waits for, in the reference's restart preflight shape (`gateway.restart.preflight`, and
// `preflight` in a `gateway.restart.request` answer): the restart-relevant counts, their blockers and a summary.
import { type ActiveWorkCounts, activeWorkSnapshot, type SuspendBlocker } from "./active_work.ts";

/** A restart blocker: the suspension's kinds, and `queue` for runs queued or running. */
export type RestartBlocker = { kind: "queue" | SuspendBlocker["kind"]; count: number; message: string };

/** The preflight as the reference answers it. */
export interface RestartPreflight {
  safe: boolean;
  counts: {
    queueSize: number;
    pendingReplies: number;
    embeddedRuns: number;
    cronRuns: number;
    backgroundExecSessions: number;
    rootRequests: number;
    activeTasks: number;
    totalActive: number;
  };
  blockers: RestartBlocker[];
  summary: string;
}

/**
 * Builds the preflight from the work in progress; `holders` names the requests being answered. The reference's
 * `queueSize` is its command lanes' depth, queued and running alike: here each run waiting or running is one.
 * Queued turns and terminals are not restart blockers there, so they are left out here too.
 */
export function restartPreflight(counts: ActiveWorkCounts, holders: readonly string[]): RestartPreflight {
  const snapshot = activeWorkSnapshot({ ...counts, queuedTurns: 0, terminalSessions: 0 }, { holders });
  const queueSize = Math.max(0, Math.floor(counts.embeddedRuns + counts.queuedTurns));
  const of = (kind: SuspendBlocker["kind"]) => snapshot.blockers.find((b) => b.kind === kind)?.count ?? 0;
  const c = {
    queueSize,
    pendingReplies: of("reply"),
    embeddedRuns: of("embedded-run"),
    cronRuns: of("cron-run"),
    backgroundExecSessions: of("background-exec"),
    rootRequests: of("root-request"),
    // Background task runs (sub-agents, ACP) are the reference's; this gateway's runs are counted above.
    activeTasks: 0,
  };
  const totalActive = Object.values(c).reduce((sum, n) => sum + n, 0);
  const blockers: RestartBlocker[] = [
    ...(queueSize > 0
      ? [{ kind: "queue" as const, count: queueSize, message: `${queueSize} queued or active operation(s)` }]
      : []),
    ...snapshot.blockers,
  ];
  return {
    safe: totalActive === 0,
    counts: { ...c, totalActive },
    blockers,
    summary: blockers.length === 0
      ? "safe to restart now"
      : `restart deferred: ${blockers.map((b) => b.message).join("; ")}`,
  };
}

/** The work a deferred restart waits for, in the reference's words for its config reload deferral line. */
export function restartWaitDetails(counts: RestartPreflight["counts"]): string[] {
  const parts: [number, string][] = [
    [counts.queueSize, "operation(s)"],
    [counts.pendingReplies, "reply(ies)"],
    [counts.embeddedRuns, "embedded run(s)"],
    [counts.backgroundExecSessions, "background exec session(s)"],
    [counts.rootRequests, "gateway request(s)"],
    [counts.activeTasks, "background task run(s)"],
    // The reference's reload does not wait for cron runs; this gateway's scheduler counts them, so they are named.
    [counts.cronRuns, "cron run(s)"],
  ];
  return parts.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`);
}
