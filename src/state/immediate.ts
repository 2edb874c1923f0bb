import type { DatabaseSync } from "node:sqlite";

/**
 * Runs a read-modify-write in one `BEGIN IMMEDIATE` transaction: the write lock is taken before the
 * read, so another process (the reference's CLI or gateway on the same state dir) cannot change the
 * row in between. `body` must be synchronous: nothing else of ours may run inside the transaction.
 */
export function immediate<T>(db: DatabaseSync, body: () => T): T {
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = body();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
}
