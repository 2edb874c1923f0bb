// The media store in the gateway: one store under `<stateDir>/media` lent to every channel account
// (`AccountHost.media`) and the agent's tools, its limits read from the config in force on each save,
// and the reference's maintenance sweep: once after readiness, then hourly, then stopped with the gateway.

import { join } from "node:path";
import type { MediaSettings } from "../config/media_settings.ts";
import { FileMediaStore } from "../media/file_store.ts";

/** The reference's media maintenance interval: hourly. */
export const MEDIA_PRUNE_INTERVAL_MS = 3_600_000;

/** Where the sweep reports (the gateway's `media` logger). */
export interface MediaLog {
  info(message: string): void;
  error(message: string): void;
}

/** The gateway's media store and its prune timer. */
export class MediaWiring {
  #store: FileMediaStore;
  #timer: ReturnType<typeof setInterval> | undefined;
  #running: Promise<number> | undefined;
  #log: MediaLog;
  #intervalMs: number;

  constructor(options: {
    stateDir: string;
    /** The media settings in force (read per save and per sweep, so a reload applies at once). */
    settings: () => MediaSettings;
    log: MediaLog;
    intervalMs?: number;
  }) {
    this.#store = new FileMediaStore({
      root: join(options.stateDir, "media"),
      maxBytes: () => options.settings().maxBytes,
      ttlMs: () => options.settings().ttlMs,
    });
    this.#log = options.log;
    this.#intervalMs = options.intervalMs ?? MEDIA_PRUNE_INTERVAL_MS;
  }

  /** The store every account saves downloads with. */
  get store(): FileMediaStore {
    return this.#store;
  }

  /** Starts the sweep: once now (after readiness), then on the interval. */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => void this.prune(), this.#intervalMs);
    void this.prune();
  }

  /** One sweep (a sweep already running is joined, not doubled); failures are logged, never thrown. */
  prune(): Promise<number> {
    this.#running ??= this.#store.prune(Date.now())
      .then((removed) => {
        if (removed > 0) this.#log.info(`media cleanup removed ${removed} file(s)`);
        return removed;
      }, (error) => {
        this.#log.error(`media cleanup failed: ${error instanceof Error ? error.message : String(error)}`);
        return 0;
      })
      .finally(() => this.#running = undefined);
    return this.#running;
  }

  /** Stops the timer and waits for a sweep in flight. */
  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }
}
