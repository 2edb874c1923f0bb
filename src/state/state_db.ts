// The global state database the reference keeps at <stateDir>/state/openclaw.sqlite: device pairing, DM
// pairing, tasks, the registry of agent databases and much more. This gateway creates it as the reference
// does and writes only the tables its features use (decision 0012).
import type { DatabaseSync } from "node:sqlite";
import { openSchemaDatabase } from "./sqlite_file.ts";
import { STATE_DB_IDENTITY, stateDbAdmission, stateDbPath } from "./state_db_existing.ts";
import type { StateDbAccess } from "./state_write_fence.ts";
import { STATE_SCHEMA_SEED_SQL, STATE_SCHEMA_SQL } from "./state_schema.ts";

export { StateSchemaOwnerError, StateSchemaVersionError } from "./sqlite_file.ts";
export { openExistingStateDb, stateDbPath } from "./state_db_existing.ts";

/**
 * Opens the global state database read-write, creating it (DDL, `schema_meta`, WAL) when missing; throws
 * {@link StateSchemaVersionError} for a version this gateway cannot read, and the ownership fence's errors
 * when an external manager owns it and `access` (default: an unsupervised write) may not write. The caller
 * closes it.
 */
export function openStateDb(stateDir: string, access: StateDbAccess = "write"): DatabaseSync {
  return openSchemaDatabase(stateDbPath(stateDir), {
    ...STATE_DB_IDENTITY,
    statements: STATE_SCHEMA_SQL,
    seeds: STATE_SCHEMA_SEED_SQL,
  }, stateDbAdmission(access));
}

/** Forgets every database registered for an agent (a deleted agent whose files are gone). */
export function unregisterAgentDbs(db: DatabaseSync, agentId: string): void {
  db.prepare("DELETE FROM agent_databases WHERE agent_id = ?").run(agentId);
}

/** Records an agent database in the global registry, as the reference does when it creates one. */
export function registerAgentDb(
  db: DatabaseSync,
  entry: { agentId: string; path: string; schemaVersion: number; sizeBytes: number | null },
): void {
  const now = Date.now();
  db.prepare(
    "INSERT INTO agent_databases (agent_id, path, schema_version, last_seen_at, size_bytes) VALUES (?, ?, ?, ?, ?) " +
      "ON CONFLICT (agent_id, path) DO UPDATE SET schema_version = excluded.schema_version, " +
      "last_seen_at = excluded.last_seen_at, size_bytes = excluded.size_bytes",
  ).run(entry.agentId, entry.path, entry.schemaVersion, now, entry.sizeBytes);
}
