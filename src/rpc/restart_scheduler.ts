// One restart at a time, as the reference's restart coordinator keeps them: a safe restart waits until no work
// is in progress (polled every 500 ms, at most 5 minutes, then it goes on regardless), a targeted one lets
// admitted work finish within its drain budget; a request while one is pending or delivered joins it
// (`coalesced`). Delivery is the gateway restarting in place, as on SIGUSR2; once the process has handled it
// (restarted, or kept the running config because the file no longer loads) the next request starts afresh, after
// a 30 s cooldown.
import { RESTART_DEFERRAL_MS } from "./restart_request.ts";

/** How often a deferred restart counts the work again. */
const POLL_MS = 500;
/** The pause the reference keeps between two delivered restarts. */
const COOLDOWN_MS = 30_000;

/** `restart` in a safe restart's answer, in the reference's shape. */
export interface ScheduledRestart {
  ok: true;
  pid: number;
  signal: "SIGUSR2";
  reason: string;
  mode: "emit";
  cooldownMsApplied: number;
  delayMs: number;
  coalesced: boolean;
  emitHooksQueued: false;
}

/** What the scheduler reads and steers. */
export interface RestartSchedulerDeps {
  /** The work a restart waits for, counted now (the preflight's `totalActive`). */
  pending(): number;
  /** Restarts the gateway in place for `reason`; `handled` is called once the process has acted on it. */
  deliver(reason: string, handled: () => void): void;
  info(message: string): void;
  warn(message: string): void;
  pid: number;
  now?: () => number;
}

interface Pending {
  reason: string;
  dueAt: number;
  skipDeferral: boolean;
  /** Requests that joined this one: it is theirs too, so only a restart nobody joined can be called off. */
  joined: number;
  /** The timer until `dueAt`, then the poll while work drains. */
  timer: ReturnType<typeof setTimeout> | undefined;
  deferring: boolean;
}

/** Holds at most one pending restart and delivers it; stopped with the gateway. */
export class RestartScheduler {
  #deps: RestartSchedulerDeps;
  #now: () => number;
  #pending: Pending | undefined;
  #delivered = false;
  #lastDeliveredAt: number | undefined;
  #stopped = false;

  constructor(deps: RestartSchedulerDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  /** Whether a restart is pending: waiting for its turn or its work, or delivered and awaiting the process. */
  get busy(): boolean {
    return this.#delivered || this.#pending !== undefined;
  }

  /** Whether the gateway is stopping: nothing is scheduled or delivered any more. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /**
   * A safe restart: after `delayMs` (default none) and the cooldown (unless `skipCooldown`), once the work in progress
   * has drained (unless `skipDeferral`). A request due sooner than the one waiting takes its place.
   */
  schedule(
    input: { reason: string; skipDeferral: boolean; delayMs?: number; skipCooldown?: boolean },
  ): ScheduledRestart {
    const base = { ok: true as const, pid: this.#deps.pid, signal: "SIGUSR2" as const, mode: "emit" as const };
    const now = this.#now();
    const cooldownMsApplied = this.#lastDeliveredAt === undefined || input.skipCooldown
      ? 0
      : Math.max(0, this.#lastDeliveredAt + COOLDOWN_MS - now);
    const answer = (delayMs: number, coalesced: boolean, reason = input.reason): ScheduledRestart => ({
      ...base,
      reason,
      cooldownMsApplied,
      delayMs,
      coalesced,
      emitHooksQueued: false,
    });
    if (this.#delivered) {
      this.#deps.warn(`restart request coalesced (already in-flight) reason=${input.reason}`);
      return answer(0, true);
    }
    const pending = this.#pending;
    if (pending) {
      if (input.skipDeferral && pending.deferring) {
        this.#deps.warn(
          `restart request bypassed active deferral reason=${input.reason} pendingReason=${pending.reason}`,
        );
        this.#deliver(input.reason);
        return answer(0, false);
      }
      const dueAt = now + (input.delayMs ?? 0) + cooldownMsApplied;
      if (!pending.deferring && (dueAt < pending.dueAt || (input.skipDeferral && !pending.skipDeferral))) {
        // Still waiting for its turn or its cooldown: armed again with this request's reason, keeping a skipped
        // deferral either asked for.
        this.#deps.warn(`restart request rescheduled earlier reason=${input.reason} pendingReason=${pending.reason}`);
        this.#clearPending();
        const skipDeferral = input.skipDeferral || pending.skipDeferral;
        return this.#arm({ ...input, skipDeferral }, now, dueAt - now, answer, pending.joined + 1);
      }
      pending.skipDeferral ||= input.skipDeferral;
      pending.joined++;
      const remaining = pending.deferring ? 0 : Math.max(0, pending.dueAt - now);
      this.#deps.warn(
        `restart request coalesced (already scheduled) reason=${input.reason} pendingReason=${pending.reason} delayMs=${remaining}`,
      );
      return answer(remaining, true);
    }
    return this.#arm(input, now, (input.delayMs ?? 0) + cooldownMsApplied, answer);
  }

  /**
   * Calls off a restart still waiting to be delivered that was asked for `reason` alone (a config reload's whose edit was
   * undone or superseded); false when none, or when another request joined it.
   */
  cancel(reason: string): boolean {
    const pending = this.#pending;
    if (this.#delivered || !pending || pending.reason !== reason || pending.joined > 0) return false;
    this.#clearPending();
    return true;
  }

  #arm(
    input: { reason: string; skipDeferral: boolean },
    now: number,
    delayMs: number,
    answer: (delayMs: number, coalesced: boolean) => ScheduledRestart,
    joined = 0,
  ): ScheduledRestart {
    const fresh: Pending = {
      reason: input.reason,
      dueAt: now + delayMs,
      skipDeferral: input.skipDeferral,
      joined,
      timer: undefined,
      deferring: false,
    };
    this.#pending = fresh;
    // A timer even with no delay: the request that asked is still counted as running until it has been answered.
    fresh.timer = setTimeout(() => this.#due(fresh), delayMs);
    return answer(delayMs, false);
  }

  /**
   * A restart of this very process (the target was checked by the caller): delivered once admitted work has
   * finished or `budgetMs` has passed (undefined: however long it takes; 0: at once). "coalesced" when a restart
   * was already delivered; a safe one still waiting is replaced.
   */
  deliverTargeted(input: { reason: string; budgetMs: number | undefined }): "emitted" | "coalesced" {
    if (this.#delivered) return "coalesced";
    this.#clearPending();
    const drain: Pending = {
      reason: input.reason,
      dueAt: this.#now(),
      skipDeferral: false,
      joined: 0,
      timer: undefined,
      deferring: true,
    };
    this.#pending = drain;
    // Delivered from here on: a second request joins this one, as the reference's emitted signal.
    this.#delivered = true;
    if (input.budgetMs === 0) drain.timer = setTimeout(() => this.#deliver(drain.reason), 0);
    else this.#waitForIdle(drain, input.budgetMs, "forcing restart after the drain budget");
    return "emitted";
  }

  /** Cancels a waiting restart (the gateway is stopping). */
  stop(): void {
    this.#stopped = true;
    this.#clearPending();
  }

  #due(pending: Pending): void {
    if (this.#pending !== pending) return;
    pending.deferring = true;
    if (pending.skipDeferral) this.#deliver(pending.reason);
    else this.#waitForIdle(pending, RESTART_DEFERRAL_MS, "restart deferral timed out; restarting anyway");
  }

  /**
   * Counts the work on the next turn (the request that asked has been answered by then) and every 500 ms after;
   * delivers once none is left or `budgetMs` has passed.
   */
  #waitForIdle(pending: Pending, budgetMs: number | undefined, timeoutLine: string): void {
    const started = this.#now();
    let told = false;
    const check = () => {
      if (this.#pending !== pending) return;
      const count = this.#deps.pending();
      if (count <= 0 || pending.skipDeferral) return this.#deliver(pending.reason);
      if (budgetMs !== undefined && this.#now() - started >= budgetMs) {
        this.#deps.warn(`${timeoutLine} (${count} operation(s) still active)`);
        return this.#deliver(pending.reason);
      }
      if (!told) {
        this.#deps.info(`restart deferred until ${count} active operation(s) finish (reason=${pending.reason})`);
      }
      told = true;
      pending.timer = setTimeout(check, POLL_MS);
    };
    pending.timer = setTimeout(check, 0);
  }

  #deliver(reason: string): void {
    this.#clearPending();
    if (this.#stopped) return;
    this.#delivered = true;
    this.#lastDeliveredAt = this.#now();
    this.#deps.deliver(reason, () => {
      this.#delivered = false;
    });
  }

  #clearPending(): void {
    if (this.#pending?.timer !== undefined) clearTimeout(this.#pending.timer);
    this.#pending = undefined;
  }
}
