import type { DatabaseSync } from "node:sqlite";
import { openStateDb } from "../state/state_db.ts";

/**
 * The gateway's one connection to the global state database, opened on first use (a gateway
 * nobody pairs with never pays for it) and closed at shutdown.
 */
export class LazyStateDb {
  #stateDir: string;
  #db: DatabaseSync | undefined;

  constructor(stateDir: string) {
    this.#stateDir = stateDir;
  }

  /** The open database, opening (and creating) it the first time. */
  get(): DatabaseSync {
    this.#db ??= openStateDb(this.#stateDir);
    return this.#db;
  }

  /** Closes the connection if it was opened; a later get() opens it again. */
  close(): void {
    this.#db?.close();
    this.#db = undefined;
  }
}
