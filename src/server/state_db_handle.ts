import type { DatabaseSync } from "node:sqlite";
import type { StateDbAccess } from "../state/state_write_fence.ts";

/** The gateway's state database was asked for after the gateway stopped (a late handler). */
export class StateDbClosedError extends Error {
  constructor(stateDir: string) {
    super(
      `Cannot open the state database in ${stateDir}: this gateway has stopped and closed it; ` +
        "the request came too late (send it to the running gateway)",
    );
    this.name = "StateDbClosedError";
  }
}

/**
 * The gateway's one connection to the global state database, opened on first use: node:sqlite and
 * the schema load only then, so a gateway nobody pairs with or runs tasks on never pays for them
 * (about 1 MB and 5 ms at start). Closed at shutdown, for good: a handler finishing after the stop
 * must not open (and leak) a new connection.
 */
export class LazyStateDb {
  #stateDir: string;
  #access: StateDbAccess;
  #db: Promise<DatabaseSync> | undefined;
  #closed = false;

  /** `access`: how the gateway may write (the ownership fence, decided from OPENCLAW_SUPERVISOR_MODE at start). */
  constructor(stateDir: string, access: StateDbAccess) {
    this.#stateDir = stateDir;
    this.#access = access;
  }

  /** The open database, opening (and creating) it the first time; refused once {@link close} was called. */
  get(): Promise<DatabaseSync> {
    if (this.#closed) return Promise.reject(new StateDbClosedError(this.#stateDir));
    if (!this.#db) {
      const opening = import("../state/state_db.ts").then(({ openStateDb }) =>
        openStateDb(this.#stateDir, this.#access)
      );
      // A failed open is retried by the next caller rather than cached.
      opening.catch(() => {
        if (this.#db === opening) this.#db = undefined;
      });
      this.#db = opening;
    }
    return this.#db;
  }

  /**
   * Closes the connection if it was opened, after `settle` (what must be written before the gateway
   * goes, e.g. its unfinished tasks); every later get() is refused.
   */
  async close(settle?: (db: DatabaseSync) => void): Promise<void> {
    this.#closed = true;
    const db = await this.#db?.catch(() => undefined);
    this.#db = undefined;
    if (!db) return;
    try {
      settle?.(db);
    } finally {
      db.close();
    }
  }
}
