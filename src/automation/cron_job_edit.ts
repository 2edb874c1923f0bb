// Creating and editing a job's record: the scheduler's fields (id, times, state) around the
// caller's draft in the reference's key order, the `every` anchor filled in as the reference does,
// and a changed schedule or `enabled` starting a new scheduling decision.
import type { CronJob, CronJobDraft } from "../agent/cron_control.ts";
import { computeJobNextRunAtMs, type CronExpressions } from "./cron_schedule.ts";
import { dropUndefined } from "./cron_outcome.ts";

/** A new job from a draft: `id`, creation times and empty state, keys in the reference's order. */
export function buildJob(draft: CronJobDraft, id: string, nowMs: number): CronJob {
  const copy = structuredClone(draft);
  const schedule = copy.schedule.kind === "every" && copy.schedule.anchorMs === undefined
    ? { ...copy.schedule, anchorMs: nowMs }
    : copy.schedule;
  const {
    declarationKey,
    displayName,
    owner,
    agentId,
    sessionKey,
    name,
    description,
    enabled,
    deleteAfterRun,
    ...rest
  } = copy;
  return dropUndefined({
    id,
    declarationKey,
    displayName,
    owner,
    agentId,
    sessionKey,
    name,
    description,
    enabled,
    deleteAfterRun,
    createdAtMs: nowMs,
    updatedAtMs: nowMs,
    ...rest,
    schedule,
    state: {},
  }) as CronJob;
}

function schedulingInputs(job: CronJob): string {
  return JSON.stringify([job.schedule, job.enabled !== false]);
}

/**
 * `next` (the caller's edit of `current`) made consistent: id and creation time kept, an `every`
 * schedule given its anchor, and a changed schedule or `enabled` recomputing the next run.
 */
export function updatedJob(current: CronJob, next: CronJob, nowMs: number, expressions: CronExpressions): CronJob {
  const job: CronJob = { ...next, id: current.id, createdAtMs: current.createdAtMs, state: { ...next.state } };
  const scheduleChanged = JSON.stringify(current.schedule) !== JSON.stringify(job.schedule);
  if (job.schedule.kind === "every" && job.schedule.anchorMs === undefined) {
    const keptAnchor = current.schedule.kind === "every" && current.schedule.everyMs === job.schedule.everyMs
      ? current.schedule.anchorMs
      : undefined;
    job.schedule = { ...job.schedule, anchorMs: keptAnchor ?? (scheduleChanged ? nowMs : current.createdAtMs) };
  }
  job.updatedAtMs = nowMs;
  const enabled = job.enabled !== false;
  if (schedulingInputs(current) !== schedulingInputs(job)) {
    job.state.scheduleActivatedAtMs = nowMs;
    // Turning a job back on clears the record of why it was turned off.
    if (enabled && current.enabled === false) job.state.autoDisabled = undefined;
    job.state.nextRunAtMs = enabled ? computeJobNextRunAtMs(job, nowMs, expressions) : undefined;
  } else if (enabled && !(typeof job.state.nextRunAtMs === "number" && job.state.nextRunAtMs > 0)) {
    job.state.nextRunAtMs = computeJobNextRunAtMs(job, nowMs, expressions);
  }
  dropUndefined(job.state as Record<string, unknown>);
  return job;
}
