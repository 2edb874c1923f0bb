// `cron.sessionRetention`: the sweep that keeps isolated automation runs from leaving a session row and
// transcript behind forever (a one-minute job would add 1,440 a day). Like the reference's cron session
// reaper it runs after cron runs, at most once per agent every five minutes (sooner when the retention
// itself is shorter), and prunes what was last touched before now minus the retention
// (sessions/cron_run_prune.ts says what). The work is cut into small transactions with a yield between
// them, and capped per sweep: 10,000 expired sessions never stall the event loop; the rest goes next time.
// Each pruned transcript is archived in its step's transaction and published after it, as the reference's
// reaper keeps them; an archive file that cannot be written is logged in its words and stays pending.
import type { DatabaseSync } from "node:sqlite";
import { type CronRunPruneResult, pruneCronRuns } from "../sessions/cron_run_prune.ts";

/** The reference's minimum interval between two sweeps of one agent's sessions. */
export const MIN_SWEEP_INTERVAL_MS = 300_000;
/** Rows and transcripts removed per transaction. */
export const SWEEP_BATCH = 100;
/** Transactions per agent per sweep (so at most SWEEP_BATCH × this many removals). */
export const SWEEP_MAX_BATCHES = 20;

/** What the sweep reads and writes through. */
export interface CronSessionSweepDeps {
  /** `cron.sessionRetention` in force, in ms; null when pruning is off. */
  retentionMs: () => number | null;
  /** The agents whose sessions are swept (those with a database; others are skipped). */
  agentIds: () => string[];
  /**
   * Runs one maintenance step on an agent's database between other session writes, handing it `archive` to
   * keep a transcript before removing it; the archives are published after the step commits. Undefined when
   * the agent has no database; `publishError` when some archive file stayed pending (the step committed).
   */
  maintain: <T>(
    agentId: string,
    work: (db: DatabaseSync, archive: (transcript: { sessionId: string; sessionKey: string }) => void) => T,
  ) => Promise<{ result: T; publishError?: Error } | undefined>;
  /** Whether a run of this gateway is using the session key now. */
  inUse: (sessionKey: string) => boolean;
  now?: () => number;
  log: { info(message: string): void; warn(message: string): void };
}

/** Throttles and runs sweeps, one at a time. */
export class CronSessionSweeper {
  #deps: CronSessionSweepDeps;
  #lastSweepAt = new Map<string, number>();
  #running: Promise<number> | undefined;

  constructor(deps: CronSessionSweepDeps) {
    this.#deps = deps;
  }

  /** Asks for a sweep (after a run); one already running covers it. Never throws. */
  request(): void {
    void this.sweep();
  }

  /** Sweeps every agent that is due; resolves with how many rows and transcripts went. */
  sweep(): Promise<number> {
    this.#running ??= this.#sweepAll().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #sweepAll(): Promise<number> {
    const retentionMs = this.#deps.retentionMs();
    if (retentionMs === null) return 0;
    const now = this.#deps.now?.() ?? Date.now();
    const interval = Math.min(MIN_SWEEP_INTERVAL_MS, retentionMs);
    let total = 0;
    for (const agentId of new Set(this.#deps.agentIds())) {
      const last = this.#lastSweepAt.get(agentId) ?? 0;
      if (now >= last && now - last < interval) continue;
      this.#lastSweepAt.set(agentId, now);
      try {
        total += await this.#sweepAgent(agentId, now - retentionMs, retentionMs);
      } catch (error) {
        this.#deps.log.warn(`cron-reaper: failed to sweep session store: ${error}`);
      }
    }
    return total;
  }

  async #sweepAgent(agentId: string, cutoffMs: number, retentionMs: number): Promise<number> {
    let pruned = 0;
    let publishError: Error | undefined;
    for (let batch = 0; batch < SWEEP_MAX_BATCHES; batch++) {
      const done = await this.#deps.maintain(
        agentId,
        (db, archive) => pruneCronRuns(db, { agentId, cutoffMs, limit: SWEEP_BATCH, inUse: this.#deps.inUse, archive }),
      );
      if (!done) break;
      const step: CronRunPruneResult = done.result;
      publishError ??= done.publishError;
      pruned += step.runRows + step.transcripts;
      if (!step.more) break;
      // Other work (a run's transcript append, a request) gets the loop between two transactions.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    if (publishError) this.#deps.log.warn(`cron-reaper: transcript cleanup failed: ${publishError.message}`);
    if (pruned > 0) {
      this.#deps.log.info(
        `cron-reaper: pruned ${pruned} expired cron run session(s) (agent ${agentId}, retention ${retentionMs} ms)`,
      );
    }
    return pruned;
  }
}
