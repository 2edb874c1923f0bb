// What the scheduler is built from and the reference's limits it keeps (8 runs at once, 5 missed
// jobs replayed at start then 5 s apart, agent turns deferred 2 minutes, a 60 s timer ceiling), and
// the call of the runner under the job's wall-clock budget.
import type { CronJob } from "../agent/cron_control.ts";
import type { CronSettings } from "../config/cron_settings.ts";
import type { CronJobRunner, CronRunResult, CronTrigger } from "./cron_runner.ts";
import type { CronStore } from "./cron_store.ts";
import type { CronClock, CronEventSink, CronLog } from "./cron_events.ts";
import { TIMEOUT_ERROR } from "./cron_outcome.ts";

/** The reference's limits (concurrency, start-up catch-up pacing, timer ceiling). */
export interface CronLimits {
  maxConcurrentRuns: number;
  maxMissedJobsPerRestart: number;
  missedJobStaggerMs: number;
  deferredAgentJobDelayMs: number;
  maxTimerDelayMs: number;
  /** How long `stop` waits for aborted runs to settle. */
  stopGraceMs: number;
}

/** The reference's values of {@link CronLimits}. */
export const DEFAULT_LIMITS: CronLimits = {
  maxConcurrentRuns: 8,
  maxMissedJobsPerRestart: 5,
  missedJobStaggerMs: 5_000,
  deferredAgentJobDelayMs: 120_000,
  maxTimerDelayMs: 60_000,
  stopGraceMs: 2_000,
};
/** Wall-clock budget of a job without `timeoutSeconds`: 60 minutes for agent turns, 10 otherwise. */
const AGENT_TURN_TIMEOUT_MS = 3_600_000;
const DEFAULT_JOB_TIMEOUT_MS = 600_000;
/** The longest delay a timer takes. */
const MAX_TIMER_MS = 2_147_483_647;

/** What the scheduler is built from. */
export interface CronServiceOptions {
  store: CronStore;
  runner: CronJobRunner;
  emit: CronEventSink;
  settings: CronSettings;
  /** The agent a job without `agentId` runs as (recorded on its run receipt). */
  defaultAgentId: () => string;
  log: CronLog;
  clock?: CronClock;
  limits?: Partial<CronLimits>;
}

/** A job's wall-clock budget: its payload's `timeoutSeconds` (0 or less: none), else the reference's default. */
export function timeoutMsOf(job: CronJob): number | undefined {
  const payload = job.payload;
  const seconds = "timeoutSeconds" in payload ? payload.timeoutSeconds : undefined;
  if (typeof seconds !== "number") return payload.kind === "agentTurn" ? AGENT_TURN_TIMEOUT_MS : DEFAULT_JOB_TIMEOUT_MS;
  return seconds > 0 ? Math.min(seconds * 1000, MAX_TIMER_MS) : undefined;
}

/**
 * Calls the runner for one run under the job's budget: past it the run is aborted and reported as
 * the reference's timeout error; a runner that throws (it must not) fails only its own run.
 */
export async function runWithinBudget(
  runner: CronJobRunner,
  job: CronJob,
  run: { runId: string; trigger: CronTrigger; controller: AbortController; clock: CronClock },
): Promise<CronRunResult> {
  const timeoutMs = timeoutMsOf(job);
  let timedOut = false;
  const timeout = timeoutMs === undefined ? undefined : run.clock.setTimeout(() => {
    timedOut = true;
    run.controller.abort(new Error(TIMEOUT_ERROR));
  }, timeoutMs);
  let result: CronRunResult;
  try {
    result = await runner(job, { runId: run.runId, trigger: run.trigger, signal: run.controller.signal });
  } catch (error) {
    result = { status: "error", error: error instanceof Error ? error.message : String(error) };
  }
  if (timeout !== undefined) run.clock.clearTimeout(timeout);
  return timedOut ? { ...result, status: "error", error: TIMEOUT_ERROR } : result;
}
