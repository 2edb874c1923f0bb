// The gateway's one registry of exec sessions: every command `exec` starts lives here until it ends
// and its record expires. Stopping the registry (gateway shutdown) kills every command still running
// and waits for them, so no child outlives the gateway.
import { ExecSession, type ExecSpawn } from "./exec_session.ts";

/** The registry's bounds for finished sessions (the reference's: 50 records, 2,000,000 characters). */
export interface ProcessRegistryLimits {
  maxFinished: number;
  maxFinishedChars: number;
}

const DEFAULT_LIMITS: ProcessRegistryLimits = { maxFinished: 50, maxFinishedChars: 2_000_000 };

/**
 * Whose sessions a caller sees: the one session that started them (the reference scopes `process`
 * by session key), so a sandboxed session never reaches the main session's host commands.
 */
export interface ProcessScope {
  agentId: string;
  sessionKey: string;
}

function inScope(session: ExecSession, scope: ProcessScope): boolean {
  return session.agentId === scope.agentId && session.sessionKey === scope.sessionKey;
}

/** Raised when a command is started after the gateway began to stop. */
export class ProcessRegistryStoppedError extends Error {
  override name = "ProcessRegistryStoppedError";
}

/** Owns every exec session of one gateway. */
export class ProcessRegistry {
  #sessions = new Map<string, ExecSession>();
  #expiry = new Map<string, ReturnType<typeof setTimeout>>();
  #limits: ProcessRegistryLimits;
  #stopped = false;

  /** An empty registry; `limits` bound what finished sessions keep. */
  constructor(limits: Partial<ProcessRegistryLimits> = {}) {
    this.#limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** Starts a command; its record is dropped `cleanupMs` after it ends. */
  start(spawn: Omit<ExecSpawn, "id">, options: { cleanupMs: number }): ExecSession {
    if (this.#stopped) {
      throw new ProcessRegistryStoppedError(
        "Start command refused: the gateway is stopping; try again after it restarts",
      );
    }
    const session = new ExecSession({ ...spawn, id: this.#newId() });
    this.#sessions.set(session.id, session);
    session.done.then(() => this.#finished(session, options.cleanupMs));
    return session;
  }

  /** A session by id, when `scope` started it (a session sees only its own commands). */
  get(id: string, scope: ProcessScope): ExecSession | undefined {
    const session = this.#sessions.get(id);
    return session && inScope(session, scope) ? session : undefined;
  }

  /** The sessions `scope` started, oldest first. */
  list(scope: ProcessScope): ExecSession[] {
    return [...this.#sessions.values()].filter((session) => inScope(session, scope))
      .sort((a, b) => a.startedAt - b.startedAt);
  }

  /** Forgets a session (kills it first when it still runs). */
  remove(id: string): void {
    const session = this.#sessions.get(id);
    session?.kill("manual-cancel");
    this.#sessions.delete(id);
    clearTimeout(this.#expiry.get(id));
    this.#expiry.delete(id);
  }

  /** How many commands run now. */
  get running(): number {
    return [...this.#sessions.values()].filter((session) => !session.exited).length;
  }

  /** Kills every running command and waits until each has ended; later starts are refused. */
  async stop(): Promise<void> {
    this.#stopped = true;
    const sessions = [...this.#sessions.values()];
    for (const session of sessions) session.kill("aborted");
    await Promise.all(sessions.map((session) => session.done.catch(() => {})));
    for (const timer of this.#expiry.values()) clearTimeout(timer);
    this.#expiry.clear();
  }

  #newId(): string {
    for (;;) {
      const id = crypto.randomUUID().slice(0, 8);
      if (!this.#sessions.has(id)) return id;
    }
  }

  #finished(session: ExecSession, cleanupMs: number): void {
    if (!this.#sessions.has(session.id) || this.#stopped) return;
    const timer = setTimeout(() => {
      this.#sessions.delete(session.id);
      this.#expiry.delete(session.id);
    }, cleanupMs);
    Deno.unrefTimer(timer);
    this.#expiry.set(session.id, timer);
    this.#evict();
  }

  /** Drops the oldest finished records past the count or character bound; the newest always stays. */
  #evict(): void {
    const finished = [...this.#sessions.values()].filter((session) => session.exited)
      .sort((a, b) => (a.endedAt ?? 0) - (b.endedAt ?? 0));
    let chars = finished.reduce((sum, session) => sum + session.aggregated.length, 0);
    while (
      finished.length > 1 && (finished.length > this.#limits.maxFinished || chars > this.#limits.maxFinishedChars)
    ) {
      const oldest = finished.shift()!;
      chars -= oldest.aggregated.length;
      this.remove(oldest.id);
    }
  }
}
