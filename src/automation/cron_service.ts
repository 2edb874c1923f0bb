// The scheduler: jobs live in a CronStore, one timer is armed for the nearest due job (never one
// per job), due jobs run through the CronJobRunner (at most 8 at once, as in the reference), and
// every outcome updates the job's state, its run history and the `cron` events. Missed runs at
// start follow the reference's catch-up rules (cron_catchup.ts).
import {
  type CronControl,
  type CronJob,
  type CronJobDraft,
  CronJobNotFoundError,
  type CronRunLogEntry,
  type CronRunsQuery,
  type CronRunStart,
  type CronSchedulerStatus,
} from "../agent/cron_control.ts";
import { type CronScratchState, CronScratchUnavailableError, type CronScratchWrite } from "../state/cron_scratch.ts";
import type { CronRunResult, CronTrigger } from "./cron_runner.ts";
import type { CronSettings } from "../config/cron_settings.ts";
import { type CronLimits, type CronServiceOptions, DEFAULT_LIMITS, runWithinBudget } from "./cron_service_options.ts";
import { computeJobNextRunAtMs, CronExpressions } from "./cron_schedule.ts";
import { hasNextRun, isRunnable, isTimeScheduled } from "./cron_due.ts";
import { applyRunResult, MIN_REFIRE_GAP_MS, runLogEntry } from "./cron_outcome.ts";
import { type CronClock, type CronEventSink, eventJob, finishedEvent, publicJob, SYSTEM_CLOCK } from "./cron_events.ts";
import { catchUpMissedJobs, recoverInterruptedRuns } from "./cron_catchup.ts";
import { buildJob, updatedJob } from "./cron_job_edit.ts";
import { CronJobNotRunnableHereError, foreignJobReason, runsHere } from "./cron_foreign.ts";
import { CronHotIndex } from "./cron_hot_index.ts";

export type { CronLimits, CronServiceOptions, CronSettings };

interface ActiveRun {
  runId: string;
  controller: AbortController;
  done: Promise<CronRunLogEntry>;
}

/** The gateway's cron scheduler; `start` loads and catches up, `stop` leaves unfinished runs to the next start. */
export class CronService implements CronControl {
  #options: CronServiceOptions;
  #settings: CronSettings;
  #limits: CronLimits;
  #clock: CronClock;
  #expressions = new CronExpressions();
  /** What timing needs of each job (next run, announced next run, whether it wakes the timer); the rest is read from the store. */
  #jobs = new CronHotIndex();
  #active = new Map<string, ActiveRun>();
  /** Start-up catch-up slots given to deferred missed jobs (they run when that time comes). */
  #catchupAt = new Map<string, number>();
  #timer: number | undefined;
  #started = false;
  #stopped = false;
  /** While start-up catch-up runs, timer ticks wait (the reference's rule: catch-up decides first). */
  #catchingUp = false;
  /** While a host suspension holds, no job starts on its own; due jobs run once scheduling resumes. */
  #paused = false;
  #manualSeq = 0;
  /** Which start of scheduling is current (see #beginScheduling). */
  #generation = 0;

  constructor(options: CronServiceOptions) {
    this.#options = options;
    this.#settings = { ...options.settings };
    this.#limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.#clock = options.clock ?? SYSTEM_CLOCK;
  }

  /** Loads the jobs, records runs a stopped gateway left unfinished, catches up missed runs and arms the timer. */
  async start(): Promise<void> {
    const now = this.#clock.now();
    // Only the jobs a stopped gateway left running stay whole past this pass (they are recovered below).
    const running = new Map<string, CronJob>();
    for (const job of this.#options.store.iterateJobs()) {
      this.#jobs.note(job);
      // Without the receipt: taking the interrupted runs ends it, and the recovered job is saved whole.
      if (job.state.runningAtMs !== undefined && runsHere(job)) running.set(job.id, withoutReceipt(job));
    }
    this.#started = true;
    const store = this.#options.store;
    const read = (id: string) => this.#read(id);
    for (const { job, entry } of recoverInterruptedRuns(running, store, now, this.#expressions, read)) {
      this.#save(job);
      this.#emit({ ...entry, action: "finished", job: eventJob(job) });
      this.#announce(job);
    }
    if (!this.#settings.enabled) {
      this.#options.log.info("cron: disabled");
      return;
    }
    await this.#beginScheduling();
  }

  async #beginScheduling(): Promise<void> {
    // A newer start (cron.enabled off and on again mid catch-up) takes over: the older one stops at once.
    const generation = ++this.#generation;
    this.#catchingUp = true;
    try {
      await this.#catchUp(generation);
    } finally {
      if (generation === this.#generation) this.#catchingUp = false;
    }
    if (this.#stopped || generation !== this.#generation) return;
    const now = this.#clock.now();
    for (const id of this.#jobs.withoutNextRun()) {
      const job = this.#read(id);
      if (!job || job.enabled === false || !isTimeScheduled(job) || hasNextRun(job.state.nextRunAtMs)) continue;
      const next = computeJobNextRunAtMs(job, now, this.#expressions);
      if (next === undefined) continue;
      job.state.nextRunAtMs = next;
      this.#save(job);
      this.#announce(job);
    }
    this.#arm();
    this.#options.log.info(`cron: started (${this.#jobs.size} jobs, next wake ${this.#nextWakeAtMs() ?? "none"})`);
  }

  #catchUp(generation: number): Promise<void> {
    return catchUpMissedJobs({
      jobs: () => this.#known(),
      nowMs: () => this.#clock.now(),
      skipMissedJobs: this.#settings.skipMissedJobs,
      limits: this.#limits,
      expressions: this.#expressions,
      catchupAt: this.#catchupAt,
      isActive: (id) => this.#active.has(id),
      // A host suspension pauses catch-up too: the missed jobs left are overdue and run when scheduling resumes.
      stopped: () => this.#stopped || this.#paused || !this.#settings.enabled || generation !== this.#generation,
      save: (job) => {
        this.#save(job);
        this.#announce(job);
      },
      read: (id) => this.#read(id),
      // A job already running (started by a newer catch-up or `cron.run`) is not started twice.
      run: (job) => this.#active.has(job.id) ? Promise.resolve() : this.#launchScheduled(job, "catch-up"),
      log: this.#options.log,
    });
  }

  /** Applies a changed `cron` config section: turning the scheduler on catches up and arms, off disarms. */
  reconfigure(settings: CronSettings): void {
    const wasEnabled = this.#settings.enabled;
    this.#settings = { ...settings };
    if (!this.#started || this.#stopped || wasEnabled === settings.enabled) return;
    if (!settings.enabled) {
      this.#disarm();
      this.#options.log.info("cron: disabled");
      return;
    }
    void this.#beginScheduling().catch((error) => this.#options.log.error(`cron: start failed: ${error}`));
  }

  /** Stops the timer and aborts running jobs; their outcome is not recorded, so the next start reports them interrupted. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#disarm();
    const running = [...this.#active.values()];
    for (const run of running) run.controller.abort(new Error("gateway stopping"));
    // A runner that ignores the abort must not hold the shutdown: wait a bounded grace period.
    let grace: number | undefined;
    const graceOver = new Promise<void>((resolve) => {
      grace = this.#clock.setTimeout(resolve, this.#limits.stopGraceMs);
    });
    await Promise.race([Promise.allSettled(running.map((run) => run.done)), graceOver]);
    if (grace !== undefined) this.#clock.clearTimeout(grace);
  }

  /** Stops starting jobs on their own (a host suspension); `cron.run` still starts one. */
  pauseScheduling(): void {
    this.#paused = true;
    this.#disarm();
  }

  /** Starts jobs on their own again; those that fell due meanwhile run now. */
  resumeScheduling(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#onTimer();
  }

  /** Jobs running now. */
  get activeRuns(): number {
    return this.#active.size;
  }

  /** A job's private scratch (none from a store that keeps no scratch). */
  readScratch(jobId: string): CronScratchState {
    return this.#options.store.readScratch?.(jobId) ?? { currentRevision: 0 };
  }

  /** Replaces or clears a job's scratch; throws CronScratchUnavailableError on a store that keeps none. */
  writeScratch(
    jobId: string,
    write: { content: string | null; expectedRevision?: number | undefined },
  ): CronScratchWrite {
    const store = this.#options.store;
    if (!store.writeScratch) throw new CronScratchUnavailableError(jobId);
    return store.writeScratch(jobId, write);
  }

  /** The reference's heartbeat monitor of `agentId` and its scratch text; undefined without a monitor row. */
  heartbeatMonitor(agentId: string): { jobId: string; content: string | undefined } | undefined {
    return this.#options.store.heartbeatMonitor?.(agentId);
  }

  status(): CronSchedulerStatus {
    return {
      enabled: this.#settings.enabled,
      jobs: this.#jobs.size,
      nextWakeAtMs: this.#settings.enabled ? this.#nextWakeAtMs() ?? null : null,
      running: this.#active.size,
    };
  }

  list(): readonly CronJob[] {
    return [...this.#known()];
  }

  get(id: string): CronJob | undefined {
    return this.#read(id);
  }

  add(draft: CronJobDraft): CronJob {
    const now = this.#clock.now();
    const job = buildJob(draft, crypto.randomUUID(), now);
    job.state.nextRunAtMs = computeJobNextRunAtMs(job, now, this.#expressions);
    this.#options.store.saveJob(job);
    this.#jobs.note(job);
    this.#emit({ jobId: job.id, action: "added", job: eventJob(job), ...this.#next(job) });
    this.#arm();
    return publicJob(job);
  }

  update(id: string, apply: (current: CronJob) => CronJob): CronJob {
    const current = this.#read(id);
    if (!current) throw new CronJobNotFoundError(id);
    const now = this.#clock.now();
    const next = updatedJob(current, apply(publicJob(current)), now, this.#expressions);
    if (next.state.nextRunAtMs !== current.state.nextRunAtMs) this.#catchupAt.delete(id);
    this.#options.store.saveJob(next);
    this.#jobs.note(next);
    this.#jobs.setAnnounced(id, next.state.nextRunAtMs);
    this.#emit({ jobId: id, action: "updated", job: eventJob(next), ...this.#next(next) });
    this.#arm();
    return publicJob(next);
  }

  remove(id: string): boolean {
    const job = this.#read(id);
    if (!job) return false;
    this.#options.store.deleteJob(id);
    this.#jobs.delete(id);
    this.#catchupAt.delete(id);
    this.#emit({ jobId: id, action: "removed", job: eventJob(job) });
    this.#arm();
    return true;
  }

  run(id: string, mode: "due" | "force" | "if-enabled"): CronRunStart {
    const job = this.#read(id);
    if (!job) throw new CronJobNotFoundError(id);
    const foreign = foreignJobReason(job);
    if (foreign !== undefined) throw new CronJobNotRunnableHereError(id, foreign);
    if (this.#active.has(id)) return { ran: false, reason: "already-running" };
    if (mode === "if-enabled" && (job.enabled === false || job.state.autoDisabled)) {
      return { ran: false, reason: "disabled" };
    }
    const now = this.#clock.now();
    const due = job.enabled !== false && isTimeScheduled(job) && hasNextRun(job.state.nextRunAtMs) &&
      now >= job.state.nextRunAtMs;
    if (mode === "due" && !due) return { ran: false, reason: "not-due" };
    const runId = `manual:${id}:${now}:${++this.#manualSeq}`;
    const { done } = this.#launch(job, "manual", mode !== "due", runId);
    return { ran: true, runId, done };
  }

  runs(query: CronRunsQuery): { entries: CronRunLogEntry[]; total: number } {
    return this.#options.store.listRuns(query);
  }

  #nextWakeAtMs(excludeActive = false): number | undefined {
    return this.#jobs.nextWakeAtMs(excludeActive ? (id) => this.#active.has(id) : undefined);
  }

  /**
   * A job the scheduler knows, read afresh from the store (one gone from it is forgotten). The index
   * takes what was read: a row another gateway disabled or moved must not keep the timer polling it.
   */
  #read(id: string): CronJob | undefined {
    if (!this.#jobs.has(id)) return undefined;
    const job = this.#options.store.getJob(id);
    if (!job) {
      this.#jobs.delete(id);
      return undefined;
    }
    this.#jobs.note(job);
    return withoutReceipt(job);
  }

  /** The jobs the scheduler knows, read afresh from the store in its order. */
  *#known(): Generator<CronJob> {
    for (const job of this.#options.store.iterateJobs()) if (this.#jobs.has(job.id)) yield withoutReceipt(job);
  }

  #next(job: CronJob): { nextRunAtMs?: number } {
    return job.state.nextRunAtMs === undefined ? {} : { nextRunAtMs: job.state.nextRunAtMs };
  }

  #disarm(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** One timer for the nearest due job; overdue jobs that cannot run yet are looked at again after 2 s. */
  #arm(): void {
    this.#disarm();
    if (this.#stopped || !this.#started || this.#catchingUp || this.#paused || !this.#settings.enabled) return;
    const nextAt = this.#nextWakeAtMs(true);
    if (nextAt === undefined) return;
    const delay = Math.max(nextAt - this.#clock.now(), 0);
    const wait = Math.min(delay === 0 ? MIN_REFIRE_GAP_MS : delay, this.#limits.maxTimerDelayMs);
    this.#timer = this.#clock.setTimeout(() => this.#onTimer(), wait);
  }

  #onTimer(): void {
    // Also called directly when a run frees a slot: the pending timer is replaced, never orphaned.
    this.#disarm();
    if (this.#stopped || this.#catchingUp || this.#paused || !this.#settings.enabled) return;
    const now = this.#clock.now();
    let slots = this.#limits.maxConcurrentRuns - this.#active.size;
    // At a tick only a job whose next run has come can be due (isRunnable's timer rule): only those are read.
    for (const id of this.#jobs.dueIds(now)) {
      if (slots <= 0) break;
      const job = this.#readDue(id);
      if (!job) continue;
      const check = {
        nowMs: now,
        running: this.#active.has(job.id),
        expressions: this.#expressions,
        startupCatchupAtMs: this.#catchupAt.get(job.id),
      };
      if (!isRunnable(job, check)) continue;
      void this.#launchScheduled(job, this.#catchupAt.has(job.id) ? "catch-up" : retryTrigger(job));
      slots -= 1;
    }
    this.#arm();
  }

  /** A due job read for the timer; a read the store fails is logged and tried again at the next tick, never thrown into a timer. */
  #readDue(id: string): CronJob | undefined {
    try {
      return this.#read(id);
    } catch (error) {
      this.#options.log.error(`cron: job ${id} not read: ${error instanceof Error ? error.message : error}`);
      return undefined;
    }
  }

  /** Starts a scheduled run; a run the store refuses is logged and left for the next due time, never thrown into a timer. */
  #launchScheduled(job: CronJob, trigger: CronTrigger): Promise<unknown> {
    try {
      return this.#launch(job, trigger, false).done;
    } catch (error) {
      this.#options.log.error(`cron: job ${job.id} not started: ${error instanceof Error ? error.message : error}`);
      return Promise.resolve();
    }
  }

  /** Starts one run: marks the job running (persisted), records the receipt, emits `started`, and finishes it when the runner answers. */
  #launch(job: CronJob, trigger: CronTrigger, preserveSchedule: boolean, manualRunId?: string): ActiveRun {
    const startedAtMs = this.#clock.now();
    const runId = manualRunId ?? `cron:${job.id}:${startedAtMs}:${crypto.randomUUID()}`;
    this.#catchupAt.delete(job.id);
    job.state.runningAtMs = startedAtMs;
    this.#save(job);
    try {
      this.#options.store.startRun({
        runId,
        jobId: job.id,
        agentId: job.agentId ?? this.#options.defaultAgentId(),
        startedAtMs,
      });
    } catch (error) {
      // The store refused the run (another live gateway holds the job's receipt, the job was deleted
      // there, the database is busy): the job is not running here after all.
      delete job.state.runningAtMs;
      this.#save(job);
      throw error;
    }
    const admitted = publicJob(job);
    this.#emit({ jobId: job.id, action: "started", job: eventJob(admitted), runAtMs: startedAtMs });
    const controller = new AbortController();
    const done = runWithinBudget(this.#options.runner, admitted, { runId, trigger, controller, clock: this.#clock })
      .then((result) => this.#finish(job.id, admitted, { runId, startedAtMs, preserveSchedule }, result));
    const active = { runId, controller, done };
    this.#active.set(job.id, active);
    return active;
  }

  #finish(
    jobId: string,
    admitted: CronJob,
    run: { runId: string; startedAtMs: number; preserveSchedule: boolean },
    result: CronRunResult,
  ): CronRunLogEntry {
    this.#active.delete(jobId);
    const endedAtMs = this.#clock.now();
    const current = this.#read(jobId);
    // A run the stop cut short (its error is the abort's) leaves its receipt running: the next start records it
    // interrupted. One that completed during the stop's grace is recorded, so the next start does not replay it.
    const cutShort = this.#stopped && result.status === "error";
    // Cut short or removed: report the outcome to the caller only.
    const job = cutShort || !current ? structuredClone(admitted) : current;
    // An edit of the schedule during the run owns the next run; the result only fills in last-run fields.
    const scheduleEdited = JSON.stringify([admitted.schedule, admitted.enabled]) !==
      JSON.stringify([job.schedule, job.enabled]);
    const kept = { enabled: job.enabled, nextRunAtMs: job.state.nextRunAtMs };
    const applied = applyRunResult(job, result, {
      startedAtMs: run.startedAtMs,
      endedAtMs,
      preserveSchedule: run.preserveSchedule,
      expressions: this.#expressions,
    });
    if (scheduleEdited) Object.assign(job, { enabled: kept.enabled }).state.nextRunAtMs = kept.nextRunAtMs;
    const entry = runLogEntry(job, result, { ...run, completionStatus: applied.completionStatus });
    if (cutShort || !current) return entry;
    if (applied.autoDisabled) {
      this.#options.log.error(`cron: auto-disabled job ${jobId} after consecutive run failures`);
    }
    if (result.status === "error") {
      this.#options.log.warn(`cron: job ${jobId} failed: ${result.error ?? "unknown error"}`);
    }
    this.#options.store.finishRun(run.runId, entry);
    if (applied.deleteJob && !scheduleEdited) {
      this.#options.store.deleteJob(jobId);
      this.#jobs.delete(jobId);
    } else {
      this.#save(job);
    }
    this.#emit(
      finishedEvent(job, result, { startedAtMs: run.startedAtMs, completionStatus: applied.completionStatus }),
    );
    if (applied.deleteJob && !scheduleEdited) {
      this.#emit({ jobId, action: "removed", job: eventJob(job) });
    } else {
      this.#announce(job);
    }
    // A freed slot goes to a job that was due but waiting for one, now rather than at the next tick.
    this.#onTimer();
    return entry;
  }

  /** Emits `scheduled` when a job's stored next run moved since it was last announced. */
  #announce(job: CronJob): void {
    if (!this.#jobs.announce(job.id, job.state.nextRunAtMs)) return;
    this.#emit({ jobId: job.id, action: "scheduled", job: eventJob(job), ...this.#next(job) });
  }

  /** Stores a job and what the timer needs of it (the index follows even when the store refused: as memory did). */
  #save(job: CronJob): void {
    if (this.#jobs.has(job.id)) this.#jobs.note(job);
    try {
      this.#options.store.saveJob(job);
    } catch (error) {
      this.#options.log.error(`cron: could not save job ${job.id}: ${error}`);
    }
  }

  #emit(event: Parameters<CronEventSink>[0]): void {
    try {
      this.#options.emit(event);
    } catch (error) {
      this.#options.log.warn(`cron: event sink failed: ${error}`);
    }
  }
}

/** A scheduled run after a failure is a retry; otherwise it is the schedule's. */
function retryTrigger(job: CronJob): CronTrigger {
  return (job.state.consecutiveErrors ?? 0) > 0 ? "retry" : "schedule";
}

/** The scheduler does not know receipt ids (the store keeps them while a run goes): a read job carries none. */
function withoutReceipt(job: CronJob): CronJob {
  delete (job.state as Record<string, unknown>).runningReceiptId;
  return job;
}
