// What the scheduler keeps of each job between runs: its next run, the next run it last announced,
// and whether the timer looks at it at all. Everything else (name, payload, delivery, run state) stays
// in the store and is read when a job comes due, runs, or is listed: 10,000 jobs held whole cost ~5 MB
// of heap (the names, messages and nested objects of each); this index costs ~1 MB.
import type { CronJob } from "../agent/cron_control.ts";
import { hasNextRun, isTimeScheduled } from "./cron_due.ts";
import { runsHere } from "./cron_foreign.ts";

/** One job as the timer sees it. */
interface HotJob {
  /** `state.nextRunAtMs` as last loaded or saved (undefined: none). */
  next: number | undefined;
  /** The next run the last `scheduled` (or `added`/`updated`) event announced. */
  announced: number | undefined;
  /** Enabled, time-scheduled and run by this gateway: the only jobs the timer and `nextWakeAtMs` look at. */
  wakes: boolean;
}

/** The scheduler's per-job index (insertion order = the store's order, then jobs as added). */
export class CronHotIndex {
  #jobs = new Map<string, HotJob>();

  /** How many jobs the scheduler knows. */
  get size(): number {
    return this.#jobs.size;
  }

  /** Whether the scheduler knows the job. */
  has(jobId: string): boolean {
    return this.#jobs.has(jobId);
  }

  /** Records a job as loaded, added or saved; a new entry counts its next run as announced. */
  note(job: CronJob): void {
    const next = job.state.nextRunAtMs;
    const wakes = job.enabled !== false && isTimeScheduled(job) && runsHere(job);
    const known = this.#jobs.get(job.id);
    if (known) {
      known.next = next;
      known.wakes = wakes;
    } else {
      this.#jobs.set(job.id, { next, announced: next, wakes });
    }
  }

  /** Forgets a job (removed, or gone from the store). */
  delete(jobId: string): void {
    this.#jobs.delete(jobId);
  }

  /** Marks `next` as announced; returns false when it already was (or the job is unknown). */
  announce(jobId: string, next: number | undefined): boolean {
    const known = this.#jobs.get(jobId);
    if (!known || known.announced === next) return false;
    known.announced = next;
    return true;
  }

  /** Sets what counts as announced without an event (an `added`/`updated` event carried it). */
  setAnnounced(jobId: string, next: number | undefined): void {
    const known = this.#jobs.get(jobId);
    if (known) known.announced = next;
  }

  /** The earliest next run of a job the timer looks at (those `skip` names left out). */
  nextWakeAtMs(skip?: (jobId: string) => boolean): number | undefined {
    let earliest: number | undefined;
    for (const [id, job] of this.#jobs) {
      if (!job.wakes || !hasNextRun(job.next)) continue;
      if (earliest !== undefined && job.next >= earliest) continue;
      if (skip?.(id)) continue;
      earliest = job.next;
    }
    return earliest;
  }

  /** Ids of the jobs the timer looks at whose next run has come (in index order). */
  dueIds(nowMs: number): string[] {
    const due: string[] = [];
    for (const [id, job] of this.#jobs) {
      if (job.wakes && typeof job.next === "number" && job.next <= nowMs) due.push(id);
    }
    return due;
  }

  /** Ids of the jobs the timer would look at but that have no usable next run (start fills them in). */
  withoutNextRun(): string[] {
    const ids: string[] = [];
    for (const [id, job] of this.#jobs) if (job.wakes && !hasNextRun(job.next)) ids.push(id);
    return ids;
  }
}
