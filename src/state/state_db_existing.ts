// Opening the global state database when it already exists, without loading the DDL: what a feature
// reading it on a warm state dir needs. Creating it is state_db.ts (decision 0012).
import type { DatabaseSync } from "node:sqlite";
import { type ConnectionUse, openExistingDatabase, type SqliteIdentity } from "./sqlite_file.ts";
import { STATE_SCHEMA_APP_VERSION, STATE_SCHEMA_VERSION } from "./state_schema_version.ts";
import { assertStateWriteAllowed, type StateDbAccess } from "./state_write_fence.ts";
import { stateDbPath } from "./state_db_path.ts";

/** What the global state database is: its label, version and `schema_meta` role. */
export const STATE_DB_IDENTITY: SqliteIdentity = {
  label: "OpenClaw state database",
  version: STATE_SCHEMA_VERSION,
  meta: { role: "global", agentId: null, appVersion: STATE_SCHEMA_APP_VERSION },
};

export { stateDbPath };

/**
 * How a connection for one access is opened: the ownership fence run once per open (state_write_fence.ts),
 * and a `read` leaves the journal mode as found (nothing is written for it).
 */
export function stateDbAdmission(access: StateDbAccess): ConnectionUse {
  return { admit: (db, path) => assertStateWriteAllowed(db, path, access), reading: access === "read" };
}

/**
 * Opens the existing global state database read-write (version checked, the ownership fence passed for
 * `access`, the reference's pragmas set); undefined when it does not exist yet. Throws
 * `StateSchemaVersionError` for a version we cannot read and `StateExternalOwnershipError` /
 * `StateOwnershipMetadataError` when the fence refuses. `access` defaults to a fenced, unsupervised write.
 */
export function openExistingStateDb(stateDir: string, access: StateDbAccess = "write"): DatabaseSync | undefined {
  return openExistingDatabase(stateDbPath(stateDir), STATE_DB_IDENTITY, stateDbAdmission(access));
}

/**
 * Passes the ownership fence for `access` without writing anything: what a command checks before its
 * first change (nothing to check while the database does not exist).
 */
export function checkStateWritable(stateDir: string, access: StateDbAccess): void {
  openExistingStateDb(stateDir, access)?.close();
}
