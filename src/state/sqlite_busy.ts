// Waiting for another process's lock. node:sqlite is synchronous: while a statement waits for the
// reference's CLI or gateway to release its write lock, this gateway's event loop stands still. Writes
// that must land wait the reference's 5 s; writes that can be dropped or retried wait a few ms.
// Type-only import of node:sqlite: this file is loaded by stores on the start-up path.
import type { DatabaseSync } from "node:sqlite";

/** How long a statement waits for another process's lock (the reference's OPENCLAW_SQLITE_BUSY_TIMEOUT_MS). */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

/** How long a write that can wait or be dropped (a last-used stamp, a task-ledger update) waits for a lock. */
export const SQLITE_SHORT_BUSY_TIMEOUT_MS = 25;

/** Whether an error is SQLite's "database is locked" (SQLITE_BUSY or one of its extended codes). */
export function isSqliteBusy(error: unknown): boolean {
  const code = typeof error === "object" && error !== null ? (error as { errcode?: unknown }).errcode : undefined;
  return typeof code === "number" ? (code & 0xff) === 5 : /database is locked/.test(String(error));
}

/**
 * Runs a write that may be skipped, with the short busy timeout instead of the long one: true when it
 * was written, false when another process held the lock (nothing written, any transaction it opened
 * rolled back). Other errors are thrown. Writes that must land (transcripts, pairing) never use it.
 */
export function writeIfUnlocked(db: DatabaseSync, write: () => void): boolean {
  db.exec(`PRAGMA busy_timeout = ${SQLITE_SHORT_BUSY_TIMEOUT_MS}`);
  try {
    write();
    return true;
  } catch (error) {
    if (!isSqliteBusy(error)) throw error;
    if (db.isTransaction) db.exec("ROLLBACK");
    return false;
  } finally {
    db.exec(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  }
}
