import type { Logger } from "../log/logger.ts";
import { messageOf } from "./errors.ts";
import type { ConnectionStatus } from "./types.ts";

/** The status fields an account keeps up to date itself (running and connected are computed). */
export type KeptStatus = Omit<ConnectionStatus, "connected" | "running">;

/** A new account's status: configured and enabled, nothing happened yet, plus channel facts. */
export function freshStatus(accountId: string, facts: Partial<KeptStatus> = {}): KeptStatus {
  return {
    accountId,
    enabled: true,
    configured: true,
    reconnectAttempts: 0,
    lastConnectedAt: null,
    lastError: null,
    lastStartAt: null,
    lastStopAt: null,
    lastInboundAt: null,
    lastOutboundAt: null,
    ...facts,
  };
}

const BACKOFF_MIN_MS = 1000;
const BACKOFF_MAX_MS = 60_000;

/** Exponential backoff with ±20 % jitter, so a restarted server is not hit by every client at once. */
export function backoffMs(failures: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.max(0, failures - 1)) * (0.8 + Math.random() * 0.4);
}

/**
 * Keeps an account connected: runs `attempt` until it says `done` or the account stops; an
 * attempt that throws or ends is retried after {@link backoffMs}, and the error is kept in the
 * status. `stop` cuts a pending wait short.
 */
export class Reconnector {
  #status: KeptStatus;
  #log: Logger;
  #label: string;
  #attempt: () => Promise<"done" | "again">;
  #stopped = true;
  #failures = 0;
  #wake: (() => void) | undefined;
  #loop: Promise<void> | undefined;

  constructor(options: { status: KeptStatus; log: Logger; label: string; attempt: () => Promise<"done" | "again"> }) {
    this.#status = options.status;
    this.#log = options.log;
    this.#label = options.label;
    this.#attempt = options.attempt;
  }

  /** Whether the account is meant to run (started and not stopped). */
  get running(): boolean {
    return !this.#stopped;
  }

  /** Starts the loop (once). */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#status.lastStartAt = Date.now();
    this.#loop = this.#run();
  }

  /** Records a successful connection: the error clears and backoff starts over. */
  connected(): void {
    this.#failures = 0;
    this.#status.lastConnectedAt = Date.now();
    this.#status.lastError = null;
    this.#status.reconnectAttempts = 0;
  }

  /** Stops retrying; `disconnect` closes the live connection, then the loop is awaited. */
  async stop(disconnect: () => Promise<void>): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#status.lastStopAt = Date.now();
    this.#wake?.();
    await disconnect();
    await this.#loop;
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      try {
        if (await this.#attempt() === "done") return;
      } catch (error) {
        if (this.#stopped) return;
        this.#status.lastError = messageOf(error);
        this.#log.warn(`${this.#label}: ${this.#status.lastError}`);
      }
      if (this.#stopped) return;
      this.#failures++;
      this.#status.reconnectAttempts = this.#failures;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, backoffMs(this.#failures));
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}
