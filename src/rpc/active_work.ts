// What a suspension waits for: the gateway's work in progress, counted by kind and described as the
// reference's active-work snapshot describes it (`blockers`, in the reference's order and words).

/** A suspension blocker as `gateway.suspend.*` answers it. */
export interface SuspendBlocker {
  kind: "reply" | "embedded-run" | "background-exec" | "cron-run" | "root-request" | "queued-turn" | "terminal-session";
  count: number;
  message: string;
}

/** The work in progress, by kind (each read when a suspension asks). */
export interface ActiveWorkCounts {
  /** Channel replies being delivered. */
  pendingReplies: number;
  /** Agent runs going on (chat, `agent`, channel turns, heartbeats, cron payloads). */
  embeddedRuns: number;
  /** Runs waiting behind another run of their session. */
  queuedTurns: number;
  /** Background `exec` processes still running. */
  backgroundExecSessions: number;
  /** Scheduled jobs running. */
  cronRuns: number;
  /** Admitted requests still being answered (WebSocket and HTTP). */
  rootRequests: number;
  /** Open operator terminals (none in this gateway: terminals are disabled). */
  terminalSessions: number;
}

/** The snapshot a suspension decides on. */
export interface ActiveWorkSnapshot {
  idle: boolean;
  totalActive: number;
  blockers: SuspendBlocker[];
  /** Lifecycle writes in custody; this gateway keeps none pending across a request. */
  writeCustody: { phase: string; count: number }[];
}

const HOLDERS_SHOWN = 8;

function whole(value: number): number {
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

/**
 * Builds the snapshot from `counts`; `holders` names the root requests (eight shown, then `+N more`). With
 * `ignoreTerminalSessions` (terminal policy `terminate`) open terminals neither count nor block.
 */
export function activeWorkSnapshot(
  counts: ActiveWorkCounts,
  options: { holders?: readonly string[]; ignoreTerminalSessions?: boolean } = {},
): ActiveWorkSnapshot {
  const c = Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, whole(v)])) as unknown as ActiveWorkCounts;
  const blockers: SuspendBlocker[] = [];
  const add = (count: number, kind: SuspendBlocker["kind"], message: string) => {
    if (count > 0) blockers.push({ kind, count, message });
  };
  add(c.pendingReplies, "reply", `${c.pendingReplies} pending reply delivery operation(s)`);
  add(c.embeddedRuns, "embedded-run", `${c.embeddedRuns} active embedded run(s)`);
  add(c.backgroundExecSessions, "background-exec", `${c.backgroundExecSessions} active background exec session(s)`);
  add(c.cronRuns, "cron-run", `${c.cronRuns} active cron run(s)`);
  const holders = [...(options.holders ?? [])].sort();
  const shown = holders.slice(0, HOLDERS_SHOWN);
  if (holders.length > shown.length) shown.push(`+${holders.length - shown.length} more`);
  add(
    c.rootRequests,
    "root-request",
    `${c.rootRequests} active gateway request(s)${shown.length > 0 ? `: ${shown.join(", ")}` : ""}`,
  );
  add(c.queuedTurns, "queued-turn", `${c.queuedTurns} queued chat turn(s)`);
  if (!options.ignoreTerminalSessions) {
    add(c.terminalSessions, "terminal-session", `${c.terminalSessions} open terminal session(s)`);
  }
  const total = Object.values(c).reduce((sum, n) => sum + n, 0) -
    (options.ignoreTerminalSessions ? c.terminalSessions : 0);
  return { idle: total === 0, totalActive: total, blockers, writeCustody: [] };
}
