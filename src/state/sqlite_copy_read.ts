// Reading a copied SQLite file for a preflight without changing it: the reference's rules (a canonical
// path, no sidecars, an immutable read-only open, integrity and foreign-key checks first) and its words
// for each refusal, shared by the state and agent preflights.
import { DatabaseSync } from "node:sqlite";
import { SQLITE_BUSY_TIMEOUT_MS } from "./sqlite_busy.ts";

/** The sidecar suffixes a consolidated copy must not have, in the order the reference lists them. */
export const SQLITE_SIDECARS = ["-wal", "-shm", "-journal"] as const;

/** The real path of `path`, or the error Node's realpath gives (the reference's reason names it so). */
export function realPathOf(path: string): string {
  try {
    return Deno.realPathSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(`ENOENT: no such file or directory, realpath '${path}'`);
    }
    throw error;
  }
}

/** The sidecars present beside `path`. */
export function sidecarsOf(path: string): string[] {
  return SQLITE_SIDECARS.filter((suffix) => {
    try {
      Deno.lstatSync(`${path}${suffix}`);
      return true;
    } catch {
      return false;
    }
  });
}

/** A read-only handle on a private snapshot of a database file; `close` removes the snapshot. */
export interface SnapshotHandle {
  db: DatabaseSync;
  close(): void;
}

/** SQLite's file header: the magic string and the offsets of its write and read format versions (2 = WAL). */
const SQLITE_MAGIC = "SQLite format 3\0";
const FORMAT_VERSION_OFFSETS = [18, 19] as const;

/**
 * Opens a private copy of `path` read-only, switched from WAL to rollback mode in its header, so that
 * neither the original nor the copy grows a WAL or shared-memory file: SQLite opens even a read-only
 * WAL database by creating both. (An `immutable=1` URI would do it in place, but under the binary's
 * granular permissions Deno takes a `file:` URI for a relative path.)
 */
export function openSnapshot(path: string): SnapshotHandle {
  const dir = Deno.makeTempDirSync({ prefix: "openclaw-preflight-" });
  const close = () => Deno.removeSync(dir, { recursive: true });
  try {
    const copy = `${dir}/snapshot.sqlite`;
    Deno.copyFileSync(path, copy);
    const bytes = Deno.readFileSync(copy);
    const magic = new TextDecoder().decode(bytes.subarray(0, SQLITE_MAGIC.length));
    if (magic === SQLITE_MAGIC && FORMAT_VERSION_OFFSETS.every((offset) => bytes[offset] === 2)) {
      const file = Deno.openSync(copy, { write: true });
      try {
        file.seekSync(FORMAT_VERSION_OFFSETS[0], Deno.SeekMode.Start);
        file.writeSync(new Uint8Array([1, 1]));
      } finally {
        file.close();
      }
    }
    const db = new DatabaseSync(copy, { readOnly: true });
    try {
      db.exec(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}; PRAGMA query_only = ON; PRAGMA trusted_schema = OFF;`);
    } catch (error) {
      db.close();
      throw error;
    }
    return {
      db,
      close() {
        db.close();
        close();
      },
    };
  } catch (error) {
    close();
    throw error;
  }
}

function sqliteFailure(check: string, label: string, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  // The reference's reason ends with the driver's error code after a bar, as its error formatter prints a cause.
  return new Error(`SQLite ${check} failed for ${label}: ${message}${typeof code === "string" ? ` | ${code}` : ""}`);
}

/** Refuses a database whose integrity check or foreign-key check is not clean, in the reference's words. */
export function assertIntegrity(db: DatabaseSync, label: string): void {
  let results: unknown[];
  try {
    results = (db.prepare("PRAGMA integrity_check").all() as Record<string, unknown>[]).map((row) =>
      row.integrity_check ?? Object.values(row)[0]
    );
  } catch (error) {
    throw sqliteFailure("integrity_check", label, error);
  }
  if (results.length !== 1 || results[0] !== "ok") {
    throw new Error(`SQLite integrity_check failed for ${label}: ${results.map(String).join("; ") || "no result"}`);
  }
  let violations: number;
  try {
    violations = db.prepare("PRAGMA foreign_key_check").all().length;
  } catch (error) {
    throw sqliteFailure("foreign_key_check", label, error);
  }
  if (violations > 0) {
    throw new Error(`SQLite foreign_key_check failed for ${label}: ${violations} foreign key violation(s)`);
  }
}

/** PRAGMA user_version of an open database. */
export function userVersion(db: DatabaseSync): number {
  return Number((db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version);
}

/** The message of anything thrown, as the reference's reason field carries it. */
export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
