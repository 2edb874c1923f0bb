// The gateway's fence for new work, as the reference's gateway work admission keeps it: while a host
// suspension is being prepared, drains or is held, no new request, HTTP call, scheduled run or channel turn
// starts; work already admitted finishes. Each admitted request is a "root" counted until it ends, so a
// suspension can say what it still waits for (`root-request` blockers).
import type { ErrorBody } from "./errors.ts";
import type { CallerIdentity } from "./registry.ts";
import { isTargetedNonSafeRestart } from "./restart_request.ts";

/** Where admission stands; hello-ok's `snapshot.suspension.phase` and the `gateway.suspension` event carry it. */
export type AdmissionPhase = "accepting" | "preparing" | "draining" | "prepared";

/** One admitted piece of work; `release` ends it (a second call does nothing). */
export interface RootWork {
  release(): void;
}

/** The transitions a suspension owns once it closed admission (each false if the phase moved meanwhile). */
export interface SuspendAdmission {
  /** preparing → draining: admitted work goes on, nothing new starts. */
  drain(): boolean;
  /** preparing or draining → prepared. */
  commit(): boolean;
  /** preparing → accepting: the attempt is given up. */
  rollback(): boolean;
  /** draining or prepared → accepting: the suspension ends. */
  release(): boolean;
}

/** The reason `details.reason` carries when a request meets the fence. */
export const SUSPEND_UNAVAILABLE_REASON = "gateway-suspending";

/** How long a fenced caller is told to wait before trying again. */
export const ADMISSION_RETRY_AFTER_MS = 1_000;

/** The methods that steer a suspension: never fenced, never counted as work. */
export const SUSPEND_CONTROL_METHODS: ReadonlySet<string> = new Set([
  "gateway.suspend.prepare",
  "gateway.suspend.status",
  "gateway.suspend.resume",
  "gateway.suspend.handoff",
]);

/** Answers of already admitted work that may still arrive while a suspension drains (the reference's continuations). */
const DRAIN_CONTINUATIONS: Readonly<Record<string, "operator" | "node">> = {
  "exec.approval.resolve": "operator",
  "plugin.approval.resolve": "operator",
  "approval.resolve": "operator",
  "question.resolve": "operator",
  "question.get": "operator",
  "node.invoke.result": "node",
  "node.invoke.progress": "node",
};

/** The error a request (or a `connect`) meets while admission is closed, in the reference's words. */
export function admissionClosedError(method: string, phase: AdmissionPhase): ErrorBody {
  return {
    code: "UNAVAILABLE",
    message: `${method} unavailable during gateway suspension`,
    retryable: true,
    retryAfterMs: ADMISSION_RETRY_AFTER_MS,
    details: { method, reason: SUSPEND_UNAVAILABLE_REASON, phase },
  };
}

/**
 * Whether a request may run while a suspension drains although nothing new is admitted: the answer to an
 * approval, a question or a node invoke that admitted work is waiting on.
 */
export function isDrainContinuation(method: string, caller: Pick<CallerIdentity, "role">, params: unknown): boolean {
  const role = DRAIN_CONTINUATIONS[method];
  if (role === undefined || role !== caller.role || typeof params !== "object" || params === null) return false;
  const fields = params as Record<string, unknown>;
  return role === "node" ? typeof (fields.id ?? fields.invokeId) === "string" : typeof fields.id === "string";
}

/** The gateway's admission state: the phase, its observers and the roots of work running now. */
export class WorkAdmission {
  #phase: AdmissionPhase = "accepting";
  #generation = 0;
  #roots = new Map<RootWork, string>();
  #listeners = new Set<(phase: AdmissionPhase) => void>();
  #openWaiters: (() => void)[] = [];
  #onError: (error: unknown) => void;

  constructor(options: { onObserverError?: (error: unknown) => void } = {}) {
    this.#onError = options.onObserverError ?? (() => {});
  }

  /** The phase now. */
  get phase(): AdmissionPhase {
    return this.#phase;
  }

  /** Whether new work is admitted. */
  get open(): boolean {
    return this.#phase === "accepting";
  }

  /** Calls `listener` with every phase change; answers the unsubscribe. */
  onChange(listener: (phase: AdmissionPhase) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Admits one root of work named `origin` (`ws:<method>`, `http:request`); undefined while admission is closed. */
  begin(origin: string): RootWork | undefined {
    return this.open ? this.track(origin) : undefined;
  }

  /** Counts a root of work whatever the phase (a continuation of work admitted earlier). */
  track(origin: string): RootWork {
    const root: RootWork = { release: () => this.#roots.delete(root) };
    this.#roots.set(root, origin);
    return root;
  }

  /**
   * The roots running now, named by origin, sorted; one origin held N times reads `origin (N)`. `excludeOne` leaves
   * out one root of that origin: the request asking, which the reference does not count as work in its way.
   */
  holders(excludeOne?: string): string[] {
    const counts = new Map<string, number>();
    for (const origin of this.#roots.values()) counts.set(origin, (counts.get(origin) ?? 0) + 1);
    if (excludeOne !== undefined && counts.has(excludeOne)) counts.set(excludeOne, counts.get(excludeOne)! - 1);
    return [...counts].filter(([, n]) => n > 0).sort(([a], [b]) => a.localeCompare(b))
      .map(([origin, n]) => n > 1 ? `${origin} (${n})` : origin);
  }

  /** How many roots of `origin` are running now. */
  heldBy(origin: string): number {
    let n = 0;
    for (const held of this.#roots.values()) if (held === origin) n++;
    return n;
  }

  /** How many roots are running now. */
  get rootCount(): number {
    return this.#roots.size;
  }

  /** Resolves once admission is open (at once when it is). */
  whenOpen(): Promise<void> {
    if (this.open) return Promise.resolve();
    return new Promise((resolve) => this.#openWaiters.push(resolve));
  }

  /** Closes admission for a suspension (accepting → preparing); undefined when it is not open. */
  tryBeginSuspend(): SuspendAdmission | undefined {
    if (!this.open) return undefined;
    const generation = ++this.#generation;
    this.#set("preparing");
    const move = (from: readonly AdmissionPhase[], to: AdmissionPhase) => {
      if (this.#generation !== generation || !from.includes(this.#phase)) return false;
      this.#set(to);
      return true;
    };
    return {
      drain: () => move(["preparing"], "draining"),
      commit: () => move(["preparing", "draining"], "prepared"),
      rollback: () => move(["preparing"], "accepting"),
      release: () => move(["draining", "prepared"], "accepting"),
    };
  }

  #set(phase: AdmissionPhase): void {
    this.#phase = phase;
    if (phase === "accepting") {
      const waiters = this.#openWaiters;
      this.#openWaiters = [];
      for (const resolve of waiters) resolve();
    }
    for (const listener of [...this.#listeners]) {
      try {
        listener(phase);
      } catch (error) {
        this.#onError(error);
      }
    }
  }
}

/** What admission reads of a request. */
export interface AdmittedRequest {
  method: string;
  caller: Pick<CallerIdentity, "role">;
  params: unknown;
}

/**
 * Admits one request as the reference's request envelope does: a suspension's own methods run uncounted, the
 * answer to admitted work runs while a suspension drains, a restart aimed at this process (not `safe`) crosses a
 * prepared suspension with no work left (the host restarting what it froze; the restart then ends the suspension),
 * anything else only while admission is open.
 */
export function admitRequest(
  admission: WorkAdmission,
  request: AdmittedRequest,
): { ok: true; root?: RootWork } | { ok: false; error: ErrorBody } {
  if (SUSPEND_CONTROL_METHODS.has(request.method)) return { ok: true };
  const root = admission.begin(`ws:${request.method}`);
  if (root) return { ok: true, root };
  if (admission.phase === "draining" && isDrainContinuation(request.method, request.caller, request.params)) {
    return { ok: true, root: admission.track(`ws:${request.method}`) };
  }
  if (
    request.method === "gateway.restart.request" && admission.phase === "prepared" && admission.rootCount === 0 &&
    isTargetedNonSafeRestart(request.params)
  ) {
    return { ok: true, root: admission.track(`ws:${request.method}`) };
  }
  return { ok: false, error: admissionClosedError(request.method, admission.phase) };
}
