// The scheduler's place in the gateway: built after the gateway is ready (the store opens the state
// database and croner loads only then, off the start-up path), its `cron` events broadcast to
// clients, `cron.*` config changes applied in place, stopped cleanly on shutdown. A state dir with
// no jobs and no run history keeps it unloaded (a few MB of idle RSS) until the first job is added.
import type { CronControl } from "../agent/cron_control.ts";
import type { CronJobRunner } from "../automation/cron_runner.ts";
import type { CronStore } from "../automation/cron_store.ts";
import type { CronEvent, CronLog } from "../automation/cron_events.ts";
import type { CronService } from "../automation/cron_service.ts";
import type { CronSettings } from "../config/cron_settings.ts";
import { dormantCronControl } from "./cron_dormant_control.ts";

/** What the scheduler is built from. */
export interface CronWiringOptions {
  /** Opens the job store (called once, when the scheduler starts; may load its module lazily). */
  openStore: () => CronStore | Promise<CronStore>;
  /** Builds the runner of a due job's payload and delivery (called once, when the first job runs). */
  runner: () => CronJobRunner | Promise<CronJobRunner>;
  /** Sends a `cron` event to clients. */
  broadcast: (event: CronEvent) => void;
  /** `cron.enabled` / `cron.skipMissedJobs` of the config in force. */
  settings: () => CronSettings;
  defaultAgentId: () => string;
  log: CronLog;
  /** True when the store certainly holds no job and no run history: the scheduler then loads with the first `add`. */
  storeIsEmpty?: () => boolean | Promise<boolean>;
}

/** Owns the gateway's CronService: start after readiness, reconfigure on reload, stop on shutdown. */
export class CronWiring {
  #options: CronWiringOptions;
  #service: CronService | undefined;
  /** What `cron.*` calls reach while the store is empty and the scheduler unloaded. */
  #dormant: CronControl | undefined;
  #starting: Promise<void> | undefined;
  /** The scheduler loading on the first `add` while dormant. */
  #loading: Promise<void> | undefined;
  #stopped = false;
  /** Scheduling paused by a host suspension; a scheduler loaded meanwhile starts paused. */
  #paused = false;
  /** Until `start` chose the scheduler or the stand-in: a `cron.add` sent that early waits for the choice. */
  #choosing = true;
  #chosen = Promise.withResolvers<void>();
  #pending: CronControl;

  constructor(options: CronWiringOptions) {
    this.#options = options;
    this.#pending = dormantCronControl({ settings: options.settings, load: () => this.#whenChosen() });
  }

  /** The scheduler once built (or its stand-in while there are no jobs or start is deciding); undefined if it failed. */
  get control(): CronControl | undefined {
    return this.#service ?? this.#dormant ?? (this.#choosing && !this.#stopped ? this.#pending : undefined);
  }

  /** What a `cron.add` before the choice waits for: the scheduler (loaded if the store was empty). */
  async #whenChosen(): Promise<void> {
    void this.start();
    await this.#chosen.promise;
    if (!this.#service) await this.#dormant?.ready?.();
  }

  #choose(): void {
    this.#choosing = false;
    this.#chosen.resolve();
  }

  /** Builds and starts the scheduler in the background; resolves when its start-up catch-up is done. */
  start(): Promise<void> {
    this.#starting ??= this.#start().catch((error) => {
      this.#options.log.error(
        `cron: failed to start: ${error instanceof Error ? error.stack ?? error.message : error}`,
      );
    });
    return this.#starting;
  }

  async #start(): Promise<void> {
    try {
      if (await this.#options.storeIsEmpty?.() === true) {
        if (this.#stopped) return;
        this.#dormant = dormantCronControl({ settings: this.#options.settings, load: () => this.#loadOnDemand() });
        this.#options.log.info("cron: no jobs; the scheduler loads with the first one added");
        return;
      }
      const service = await this.#load();
      // Jobs can be added while the start-up catch-up runs.
      this.#choose();
      await service?.start();
    } finally {
      this.#choose();
    }
  }

  /** Loads the scheduler for the first job; resolves once it takes jobs (a failure is logged and retried next time). */
  #loadOnDemand(): Promise<void> {
    this.#loading ??= this.#load().then(
      (service) => {
        // Its start-up (an empty store: nothing to catch up) goes on in the background.
        void service?.start().catch((error) => this.#options.log.error(`cron: failed to start: ${error}`));
      },
      (error) => {
        this.#loading = undefined;
        this.#options.log.error(
          `cron: failed to start: ${error instanceof Error ? error.stack ?? error.message : error}`,
        );
      },
    );
    return this.#loading;
  }

  /** Builds the scheduler over its store (not yet started); undefined when the gateway stopped meanwhile. */
  async #load(): Promise<CronService | undefined> {
    const { CronService } = await import("../automation/cron_service.ts");
    const store = await this.#options.openStore();
    if (this.#stopped) return undefined;
    // The runner (agent runs, delivery, webhooks) loads with the first job that runs, not before.
    let loaded: Promise<CronJobRunner> | undefined;
    const runner: CronJobRunner = async (job, context) => {
      loaded ??= Promise.resolve(this.#options.runner());
      return (await loaded)(job, context);
    };
    const service = new CronService({
      store,
      runner,
      emit: this.#options.broadcast,
      settings: this.#options.settings(),
      defaultAgentId: this.#options.defaultAgentId,
      log: this.#options.log,
    });
    if (this.#paused) service.pauseScheduling();
    this.#service = service;
    return service;
  }

  /** Pauses automatic scheduling (a host suspension holds admission closed). */
  pauseScheduling(): void {
    this.#paused = true;
    this.#service?.pauseScheduling();
  }

  /** Resumes automatic scheduling; jobs that fell due meanwhile run now. */
  resumeScheduling(): void {
    this.#paused = false;
    this.#service?.resumeScheduling();
  }

  /** Jobs running now. */
  get activeRuns(): number {
    return this.#service?.activeRuns ?? 0;
  }

  /**
   * The reference's heartbeat monitor of `agentId` and its scratch text; undefined without a monitor row, or
   * while the scheduler is unloaded (a store with no job has no monitor row either).
   */
  heartbeatMonitor(agentId: string): { jobId: string; content: string | undefined } | undefined {
    return this.#service?.heartbeatMonitor(agentId);
  }

  /** Applies the `cron` section of a reloaded config (turning the scheduler on or off takes effect at once). */
  reconfigure(): void {
    this.#service?.reconfigure(this.#options.settings());
  }

  /** Stops the timer; runs still going are aborted and reported interrupted at the next start. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#service?.stop();
  }
}
