// The ownership fence as `gateway run` checks it before it listens (the reference refuses the start
// there): the claim row read through a read-only connection, so a refused start leaves the database as
// it found it. Loaded only when a state database exists, since it brings node:sqlite onto the start.
import { DatabaseSync } from "node:sqlite";
import { SQLITE_BUSY_TIMEOUT_MS } from "./sqlite_busy.ts";
import {
  assertStateWriteAllowed,
  fenceReadsRow,
  type StateDbAccess,
  StateExternalOwnershipError,
  StateOwnershipMetadataError,
} from "./state_write_fence.ts";

/**
 * Throws the fence's refusal for a write with `access` to the database at `path`. Any other failure
 * (a file that is not a database, a lock) is left to the gateway's first real open, which reports it.
 */
export function probeStateWriteFence(path: string, access: StateDbAccess): void {
  if (!fenceReadsRow(access)) return;
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(path, { readOnly: true });
    db.exec(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    assertStateWriteAllowed(db, path, access);
  } catch (error) {
    if (error instanceof StateExternalOwnershipError || error instanceof StateOwnershipMetadataError) throw error;
  } finally {
    db?.close();
  }
}
