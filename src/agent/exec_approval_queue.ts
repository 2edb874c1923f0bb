// The pending exec approvals of this gateway: each has an id, the request the operators see, a
// deadline, and waiters for its decision. Requests and decisions are announced as the reference's
// `exec.approval.requested` / `exec.approval.resolved` events; terminal records are kept (bounded)
// for `approval.history`. In memory: pending approvals do not outlive the gateway (a restart
// cancels them, and the runs waiting on them are gone too).

/** The three answers an operator gives. */
export type ApprovalDecision = "allow-once" | "allow-always" | "deny";
/** Why an approval ended, as the reference records it. */
export type TerminalReason = "user" | "timeout" | "no-route" | "run-aborted" | "gateway-restart";

/** The request the operators see (the reference's `request` object; unknown fields are null). */
export interface ExecApprovalRequestView {
  command: string;
  commandArgv?: string[] | undefined;
  cwd: string | null;
  nodeId: string | null;
  host: string | null;
  security: string | null;
  ask: string | null;
  warningText: string | null;
  allowedDecisions: ApprovalDecision[];
  agentId: string | null;
  resolvedPath: string | null;
  sessionKey: string | null;
  runId: string | null;
  toolCallId: string | null;
  turnSourceChannel: string | null;
  turnSourceTo: string | null;
  turnSourceAccountId: string | null;
  [key: string]: unknown;
}

/** One approval, pending or ended. */
export interface ApprovalRecord {
  id: string;
  request: ExecApprovalRequestView;
  createdAtMs: number;
  expiresAtMs: number;
  decision?: ApprovalDecision | undefined;
  terminalReason?: TerminalReason | undefined;
  resolvedAtMs?: number | undefined;
  resolvedBy?: string | null | undefined;
  resolver?: { kind: "device" | "channel" | "runtime" | "system"; id?: string | undefined } | undefined;
}

/** The outcome of a resolve call. */
export type ResolveOutcome = "resolved" | "repeated" | "conflict" | "missing";

/** What the queue needs: where events go. */
export interface ApprovalQueueDeps {
  emit(event: "exec.approval.requested" | "exec.approval.resolved", payload: unknown): void;
  now?: () => number;
}

const HISTORY_LIMIT = 200;
/** The most approvals pending at once (a client filing requests in a loop cannot grow the gateway without bound). */
export const PENDING_LIMIT = 1000;

/** Pending approvals with their timers and waiters; {@link close} cancels what is left. */
export class ExecApprovalQueue {
  #deps: ApprovalQueueDeps;
  #pending = new Map<
    string,
    { record: ApprovalRecord; timer: ReturnType<typeof setTimeout>; waiters: ((d: ApprovalRecord) => void)[] }
  >();
  #ended: ApprovalRecord[] = [];
  /** The chats each pending approval's prompt was sent to (they may answer it with `/approve`). */
  #routes = new Map<string, { channel: string; to: string }[]>();

  constructor(deps: ApprovalQueueDeps) {
    this.#deps = deps;
  }

  #now(): number {
    return this.#deps.now?.() ?? Date.now();
  }

  /** Files a new pending approval and announces it; it ends by itself with "timeout" after `timeoutMs`. */
  create(request: ExecApprovalRequestView, timeoutMs: number, id: string = crypto.randomUUID()): ApprovalRecord {
    if (this.get(id)) throw new Error(`Cannot file approval ${id}: that id is already in use; use a new id`);
    if (this.#pending.size >= PENDING_LIMIT) {
      throw new Error(
        `Cannot file approval ${id}: ${PENDING_LIMIT} approvals are already pending; resolve some or let them expire first`,
      );
    }
    const createdAtMs = this.#now();
    const record: ApprovalRecord = { id, request, createdAtMs, expiresAtMs: createdAtMs + timeoutMs };
    const timer = setTimeout(() => this.#end(id, { terminalReason: "timeout" }), timeoutMs);
    this.#pending.set(id, { record, timer, waiters: [] });
    this.#deps.emit("exec.approval.requested", {
      approvalKind: "exec",
      id,
      request,
      createdAtMs,
      expiresAtMs: record.expiresAtMs,
    });
    return record;
  }

  /** The pending approvals, oldest first. */
  list(): ApprovalRecord[] {
    return [...this.#pending.values()].map((p) => p.record);
  }

  /** One approval, pending or recently ended. */
  get(id: string): ApprovalRecord | undefined {
    return this.#pending.get(id)?.record ?? this.#ended.find((r) => r.id === id);
  }

  /**
   * The pending approval an id names: the exact id, else the one pending id it is a prefix of,
   * ignoring case (the reference accepts unique prefixes); "ambiguous" when several start with it.
   * `visible` narrows the candidates (a chat sees only its own approvals).
   */
  findPending(
    idOrPrefix: string,
    visible?: (record: ApprovalRecord) => boolean,
  ): ApprovalRecord | "ambiguous" | undefined {
    const wanted = idOrPrefix.trim();
    const candidates = this.list().filter((record) => visible?.(record) ?? true);
    const exact = candidates.find((record) => record.id === wanted);
    if (exact || !wanted) return exact;
    const lower = wanted.toLowerCase();
    const hits = candidates.filter((record) => record.id.toLowerCase().startsWith(lower));
    return hits.length > 1 ? "ambiguous" : hits[0];
  }

  /** The ended approvals, newest first. */
  history(): ApprovalRecord[] {
    return [...this.#ended].reverse();
  }

  /** The record once it has ended (at once when it already has); undefined for an unknown id. */
  wait(id: string): Promise<ApprovalRecord> | undefined {
    const pending = this.#pending.get(id);
    if (pending) return new Promise((resolve) => pending.waiters.push(resolve));
    const ended = this.#ended.find((r) => r.id === id);
    return ended ? Promise.resolve(ended) : undefined;
  }

  /** Records that a pending approval's prompt reached a chat. */
  addRoute(id: string, chat: { channel: string; to: string }): void {
    if (!this.#pending.has(id)) return;
    this.#routes.set(id, [...(this.#routes.get(id) ?? []), { channel: chat.channel, to: chat.to }]);
  }

  /** The chats a pending approval's prompt reached. */
  routesOf(id: string): readonly { channel: string; to: string }[] {
    return this.#routes.get(id) ?? [];
  }

  /** An operator's decision; announced as `exec.approval.resolved`. */
  resolve(
    id: string,
    decision: ApprovalDecision,
    by: { resolvedBy: string | null; resolver: ApprovalRecord["resolver"] },
  ): ResolveOutcome {
    const pending = this.#pending.get(id);
    if (!pending) {
      const ended = this.#ended.find((r) => r.id === id);
      if (!ended) return "missing";
      return ended.decision === decision && ended.terminalReason === "user" ? "repeated" : "conflict";
    }
    const record = this.#finish(id, { decision, terminalReason: "user", ...by });
    this.#deps.emit("exec.approval.resolved", {
      id,
      decision,
      resolvedBy: by.resolvedBy,
      ts: record?.resolvedAtMs ?? this.#now(),
      request: pending.record.request,
    });
    return "resolved";
  }

  /** Ends a pending approval without an operator decision (the run went away, nobody can answer). */
  cancel(id: string, reason: "run-aborted" | "no-route" | "gateway-restart"): void {
    const end = { terminalReason: reason, resolver: { kind: "system" as const } };
    // A stopping gateway's clients are going away with it: nobody is left to tell.
    if (reason === "gateway-restart") this.#finish(id, end);
    else this.#end(id, end);
  }

  /**
   * Ends an approval nobody decided and tells the clients, so they drop its card: the reference
   * publishes such an ending as `exec.approval.resolved` with decision "deny" and no resolver.
   */
  #end(id: string, end: Partial<ApprovalRecord>): void {
    const record = this.#finish(id, end);
    if (!record) return;
    this.#deps.emit("exec.approval.resolved", {
      id,
      decision: "deny",
      resolvedBy: null,
      ts: record.resolvedAtMs ?? this.#now(),
      request: record.request,
    });
  }

  #finish(id: string, end: Partial<ApprovalRecord>): ApprovalRecord | undefined {
    const pending = this.#pending.get(id);
    if (!pending) return undefined;
    this.#pending.delete(id);
    this.#routes.delete(id);
    clearTimeout(pending.timer);
    const record: ApprovalRecord = {
      ...pending.record,
      resolver: end.terminalReason === "timeout" ? { kind: "system" } : undefined,
      ...end,
      resolvedAtMs: this.#now(),
    };
    this.#ended.push(record);
    if (this.#ended.length > HISTORY_LIMIT) this.#ended.shift();
    for (const waiter of pending.waiters) waiter(record);
    return record;
  }

  /** Cancels every pending approval (the gateway stops): their waiters get "gateway-restart". */
  close(): void {
    for (const id of [...this.#pending.keys()]) this.cancel(id, "gateway-restart");
  }
}
