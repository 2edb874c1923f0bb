// Cooperative host suspension (the reference's `gateway.suspend.*` handshake): a host about to freeze or
// snapshot the process asks the gateway to close admission; the gateway answers `busy` with what is running,
// or holds a two-minute lease (`ready`, or `draining` while admitted work finishes) until the host resumes it
// or the lease runs out. While a lease is held, automatic cron scheduling is paused.
import { type ActiveWorkCounts, type ActiveWorkSnapshot, activeWorkSnapshot } from "./active_work.ts";
import type { SuspendAdmission, WorkAdmission } from "./work_admission.ts";

/** How long a lease holds before admission reopens by itself. */
export const SUSPEND_TTL_MS = 120_000;
/** The retry hint of a busy or draining answer. */
export const SUSPEND_RETRY_AFTER_MS = 20_000;

/** What `gateway.suspend.prepare` asks for. */
export interface PrepareRequest {
  requestId: string;
  /** `preserve` (default): open terminals block; `terminate`: they do not. */
  terminalPolicy: "preserve" | "terminate";
  /** Hold admission closed while admitted work finishes instead of answering `busy`. */
  drain: boolean;
}

type WorkFields = Pick<ActiveWorkSnapshot, "blockers" | "writeCustody"> & { activeCount: number };

/** `gateway.suspend.prepare`'s answer; `conflict` is another lease held (the method turns it into an error). */
export type PrepareResult =
  | ({ status: "busy"; reason: "active-work" | "gateway-draining"; retryAfterMs: number } & WorkFields)
  | ({ status: "ready"; suspensionId: string; expiresAtMs: number } & WorkFields)
  | ({ status: "draining"; suspensionId: string; expiresAtMs: number; retryAfterMs: number } & WorkFields)
  | { status: "conflict"; expiresAtMs: number };

/** `gateway.suspend.status`'s answer; `conflict` is a different lease held. */
export type StatusResult =
  | { status: "running" }
  | ({ status: "draining"; expiresAtMs: number; retryAfterMs: number } & WorkFields)
  | { status: "ready"; expiresAtMs: number; writeCustody: ActiveWorkSnapshot["writeCustody"] }
  | { status: "conflict"; expiresAtMs: number };

/** `gateway.suspend.resume`'s answer; `mismatch` is a different lease held. */
export type ResumeResult = { ok: true; status: "running"; resumed: boolean } | { ok: false; reason: "mismatch" };

/** What the coordinator reads and steers. */
export interface SuspensionDeps {
  admission: WorkAdmission;
  /** The work in progress now. */
  counts(): ActiveWorkCounts;
  pauseScheduling(): void;
  resumeScheduling(): void;
  warn(message: string): void;
  now?: () => number;
  newId?: () => string;
  /** The lease's length; {@link SUSPEND_TTL_MS} unless a test shortens it. */
  ttlMs?: number;
}

interface Held {
  request: PrepareRequest;
  suspensionId: string;
  expiresAtMs: number;
  phase: "draining" | "ready";
  gate: SuspendAdmission;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** Holds at most one suspension lease and ends it on resume, expiry or gateway stop. */
export class SuspensionCoordinator {
  #deps: SuspensionDeps;
  #now: () => number;
  #ttlMs: number;
  #held: Held | undefined;

  constructor(deps: SuspensionDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.#ttlMs = deps.ttlMs ?? SUSPEND_TTL_MS;
  }

  /** Closes admission for a host operation, or renews the same request's lease (a different one conflicts). */
  prepare(request: PrepareRequest): PrepareResult {
    const held = this.#current();
    if (held) {
      const same = held.request.requestId === request.requestId &&
        held.request.terminalPolicy === request.terminalPolicy && held.request.drain === request.drain;
      if (!same) return { status: "conflict", expiresAtMs: held.expiresAtMs };
      this.#arm(held, this.#now() + this.#ttlMs);
      return this.#prepared(held, this.#refresh(held));
    }
    const gate = this.#deps.admission.tryBeginSuspend();
    if (!gate) {
      const snapshot = this.#snapshot(request);
      return { status: "busy", reason: "gateway-draining", retryAfterMs: SUSPEND_RETRY_AFTER_MS, ...fields(snapshot) };
    }
    // Whatever fails from here (the scheduler, a count) must not leave admission closed with no lease to end it.
    let paused = false;
    let committed = false;
    try {
      this.#deps.pauseScheduling();
      paused = true;
      // Read with admission closed: nothing new can start between this count and the answer.
      const snapshot = this.#snapshot(request);
      if (!snapshot.idle && !request.drain) {
        this.#resumeScheduling();
        gate.rollback();
        return { status: "busy", reason: "active-work", retryAfterMs: SUSPEND_RETRY_AFTER_MS, ...fields(snapshot) };
      }
      if (snapshot.idle) gate.commit();
      else gate.drain();
      committed = true;
      const fresh: Held = {
        request,
        suspensionId: (this.#deps.newId ?? (() => crypto.randomUUID()))(),
        expiresAtMs: 0,
        phase: snapshot.idle ? "ready" : "draining",
        gate,
        timer: undefined,
      };
      this.#held = fresh;
      this.#arm(fresh, this.#now() + this.#ttlMs);
      return this.#prepared(fresh, snapshot);
    } catch (error) {
      if (this.#held?.gate === gate) this.#end(this.#held);
      else {
        if (paused) this.#resumeScheduling();
        if (committed) gate.release();
        else gate.rollback();
      }
      throw error;
    }
  }

  /** Where the lease `suspensionId` stands; a draining lease whose work has ended becomes ready here. */
  status(suspensionId: string): StatusResult {
    const held = this.#current();
    if (!held) return { status: "running" };
    if (held.suspensionId !== suspensionId) return { status: "conflict", expiresAtMs: held.expiresAtMs };
    const snapshot = this.#refresh(held);
    if (held.phase === "draining") {
      return {
        status: "draining",
        expiresAtMs: held.expiresAtMs,
        ...fields(snapshot),
        retryAfterMs: SUSPEND_RETRY_AFTER_MS,
      };
    }
    return { status: "ready", expiresAtMs: held.expiresAtMs, writeCustody: snapshot.writeCustody };
  }

  /** Ends the lease `suspensionId` and reopens admission; no lease held (expired, resumed) is a no-op. */
  resume(suspensionId: string): ResumeResult {
    const held = this.#current();
    if (!held) return { ok: true, status: "running", resumed: false };
    if (held.suspensionId !== suspensionId) return { ok: false, reason: "mismatch" };
    this.#end(held);
    return { ok: true, status: "running", resumed: true };
  }

  /** Drops a held lease without waiting for its expiry (the gateway stops). */
  stop(): void {
    if (this.#held) this.#end(this.#held);
  }

  #current(): Held | undefined {
    const held = this.#held;
    if (held && this.#now() >= held.expiresAtMs) this.#end(held);
    return this.#held;
  }

  #snapshot(request: PrepareRequest): ActiveWorkSnapshot {
    return activeWorkSnapshot(this.#deps.counts(), {
      holders: this.#deps.admission.holders(),
      ignoreTerminalSessions: request.terminalPolicy === "terminate",
    });
  }

  /**
   * Counts again, as the reference does on every poll: work found makes the lease `draining` (admission stays as
   * it is), none makes it `ready`, committing a draining admission to `prepared`.
   */
  #refresh(held: Held): ActiveWorkSnapshot {
    const snapshot = this.#snapshot(held.request);
    if (!snapshot.idle) held.phase = "draining";
    else if (held.phase === "draining") {
      if (this.#deps.admission.phase === "draining") held.gate.commit();
      held.phase = "ready";
    }
    return snapshot;
  }

  #prepared(held: Held, snapshot: ActiveWorkSnapshot): PrepareResult {
    const base = { suspensionId: held.suspensionId, expiresAtMs: held.expiresAtMs, ...fields(snapshot) };
    return held.phase === "draining"
      ? { status: "draining", ...base, retryAfterMs: SUSPEND_RETRY_AFTER_MS }
      : { status: "ready", ...base };
  }

  #arm(held: Held, expiresAtMs: number): void {
    if (held.timer !== undefined) clearTimeout(held.timer);
    held.expiresAtMs = expiresAtMs;
    held.timer = setTimeout(() => {
      if (this.#held === held) this.#end(held);
    }, Math.max(0, expiresAtMs - this.#now()));
  }

  #end(held: Held): void {
    if (held.timer !== undefined) clearTimeout(held.timer);
    held.timer = undefined;
    if (this.#held === held) this.#held = undefined;
    this.#resumeScheduling();
    held.gate.release();
  }

  #resumeScheduling(): void {
    try {
      this.#deps.resumeScheduling();
    } catch (error) {
      this.#deps.warn(`gateway scheduler resume failed: ${error instanceof Error ? error.message : error}`);
    }
  }
}

function fields(snapshot: ActiveWorkSnapshot): WorkFields {
  return { activeCount: snapshot.totalActive, blockers: snapshot.blockers, writeCustody: snapshot.writeCustody };
}
