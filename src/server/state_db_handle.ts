import type { DatabaseSync } from "node:sqlite";

/**
 * The gateway's one connection to the global state database, opened on first use: node:sqlite and
 * the schema load only then, so a gateway nobody pairs with or runs tasks on never pays for them
 * (about 1 MB and 5 ms at start). Closed at shutdown.
 */
export class LazyStateDb {
  #stateDir: string;
  #db: Promise<DatabaseSync> | undefined;

  constructor(stateDir: string) {
    this.#stateDir = stateDir;
  }

  /** The open database, opening (and creating) it the first time. */
  get(): Promise<DatabaseSync> {
    if (!this.#db) {
      const opening = import("../state/state_db.ts").then(({ openStateDb }) => openStateDb(this.#stateDir));
      // A failed open is retried by the next caller rather than cached.
      opening.catch(() => {
        if (this.#db === opening) this.#db = undefined;
      });
      this.#db = opening;
    }
    return this.#db;
  }

  /** Closes the connection if it was opened; a later get() opens it again. */
  async close(): Promise<void> {
    const db = this.#db;
    this.#db = undefined;
    (await db?.catch(() => undefined))?.close();
  }
}
