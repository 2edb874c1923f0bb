// The `cron.*` answers of a gateway with no jobs, while the scheduler stays unloaded: the store
// has no job and no run history (checked at start), so status, list, get and runs are answered
// without SQLite, croner or the scheduler in memory; the first `add` loads them (`ready`).
import {
  type CronControl,
  type CronJob,
  CronJobNotFoundError,
  type CronRunLogEntry,
  type CronRunStart,
  type CronSchedulerStatus,
} from "../agent/cron_control.ts";
import type { CronSettings } from "../config/cron_settings.ts";

/** `add` was called on the unloaded scheduler without waiting for `ready()` (or its loading failed). */
export class CronSchedulerNotLoadedError extends Error {
  constructor() {
    super(
      "Cannot add the cron job: the scheduler is not loaded (this gateway had no jobs); " +
        "await ready() before add, or see the gateway log for why it failed to load",
    );
    this.name = "CronSchedulerNotLoadedError";
  }
}

/** What the unloaded scheduler answers with, and how it loads. */
export interface DormantCronOptions {
  settings: () => CronSettings;
  /** Loads and starts the real scheduler (resolves when it can take jobs). */
  load: () => Promise<void>;
}

/** CronControl of an empty store: answers as the scheduler would with no jobs; `ready` loads the real one. */
export function dormantCronControl(options: DormantCronOptions): CronControl {
  return {
    status: (): CronSchedulerStatus => ({
      enabled: options.settings().enabled,
      jobs: 0,
      nextWakeAtMs: null,
      running: 0,
    }),
    list: (): readonly CronJob[] => [],
    get: () => undefined,
    add: () => {
      throw new CronSchedulerNotLoadedError();
    },
    update: (id) => {
      throw new CronJobNotFoundError(id);
    },
    remove: () => false,
    run: (id): CronRunStart => {
      throw new CronJobNotFoundError(id);
    },
    runs: (): { entries: CronRunLogEntry[]; total: number } => ({ entries: [], total: 0 }),
    ready: options.load,
  };
}
