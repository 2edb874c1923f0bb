// An in-process CronControl for testing its callers (the cron methods, CLI and tool) without the
// scheduler: jobs in a map, a next run only for `every` and `at`, runs recorded as given.
import {
  type CronControl,
  type CronJob,
  type CronJobDraft,
  CronJobNotFoundError,
  type CronRunLogEntry,
  type CronRunsQuery,
  type CronRunStart,
  type CronSchedulerStatus,
} from "../../src/agent/cron_control.ts";

function nextRunOf(schedule: CronJob["schedule"], nowMs: number): number | undefined {
  if (schedule.kind === "every") return (schedule.anchorMs ?? nowMs) + schedule.everyMs;
  if (schedule.kind === "at") return Date.parse(schedule.at);
  return undefined;
}

/** A CronControl over a map; `entries` are what `runs` pages through, `calls` what was asked of it. */
export class FakeCron implements CronControl {
  readonly jobs = new Map<string, CronJob>();
  readonly entries: CronRunLogEntry[] = [];
  readonly calls: string[] = [];
  enabled = true;
  #now: () => number;
  #seq = 0;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  status(): CronSchedulerStatus {
    const next = [...this.jobs.values()].map((job) => job.state.nextRunAtMs).filter((ms) => typeof ms === "number");
    return {
      enabled: this.enabled,
      jobs: this.jobs.size,
      nextWakeAtMs: next.length ? Math.min(...next) : null,
      running: 0,
    };
  }

  list(): readonly CronJob[] {
    return [...this.jobs.values()];
  }

  get(id: string): CronJob | undefined {
    return this.jobs.get(id);
  }

  add(draft: CronJobDraft): CronJob {
    this.calls.push("add");
    const now = this.#now();
    const id = `job-${++this.#seq}`;
    // As the scheduler: an `every` schedule without an anchor is anchored at creation.
    const schedule = draft.schedule.kind === "every" && draft.schedule.anchorMs === undefined
      ? { ...draft.schedule, anchorMs: now }
      : draft.schedule;
    const nextRunAtMs = draft.enabled ? nextRunOf(schedule, now) : undefined;
    const job: CronJob = {
      ...draft,
      schedule,
      id,
      createdAtMs: now,
      updatedAtMs: now,
      state: nextRunAtMs === undefined ? {} : { nextRunAtMs },
    };
    this.jobs.set(id, job);
    return job;
  }

  update(id: string, apply: (current: CronJob) => CronJob): CronJob {
    this.calls.push(`update ${id}`);
    const current = this.jobs.get(id);
    if (!current) throw new CronJobNotFoundError(id);
    const next = apply(current);
    // As the scheduler: an `every` patch without an anchor keeps the old one for the same interval, else now.
    if (next.schedule.kind === "every" && next.schedule.anchorMs === undefined) {
      const kept = current.schedule.kind === "every" && current.schedule.everyMs === next.schedule.everyMs
        ? current.schedule.anchorMs
        : undefined;
      next.schedule = { ...next.schedule, anchorMs: kept ?? this.#now() };
    }
    const nextRunAtMs = next.enabled ? nextRunOf(next.schedule, this.#now()) : undefined;
    const updated = { ...next, state: { ...next.state, nextRunAtMs } };
    if (nextRunAtMs === undefined) delete updated.state.nextRunAtMs;
    this.jobs.set(id, updated);
    return updated;
  }

  remove(id: string): boolean {
    this.calls.push(`remove ${id}`);
    return this.jobs.delete(id);
  }

  run(id: string, mode: "due" | "force" | "if-enabled"): CronRunStart {
    this.calls.push(`run ${id} ${mode}`);
    const job = this.jobs.get(id);
    if (!job) throw new CronJobNotFoundError(id);
    if (mode === "if-enabled" && !job.enabled) return { ran: false, reason: "disabled" };
    if (mode === "due") return { ran: false, reason: "not-due" };
    const runId = `manual:${id}:${this.#now()}:1`;
    const entry: CronRunLogEntry = { ts: this.#now(), jobId: id, action: "finished", status: "ok", runId };
    return { ran: true, runId, done: Promise.resolve(entry) };
  }

  runs(query: CronRunsQuery): { entries: CronRunLogEntry[]; total: number } {
    const matching = this.entries.filter((entry) =>
      (!query.jobId || entry.jobId === query.jobId) &&
      (!query.statuses || (entry.status !== undefined && query.statuses.includes(entry.status)))
    );
    const sorted = query.sortDir === "asc" ? matching : [...matching].reverse();
    return { entries: sorted.slice(query.offset, query.offset + query.limit), total: matching.length };
  }
}
