// Opening the global state database when it already exists, without loading the DDL: what a feature
// reading it on a warm state dir needs. Creating it is state_db.ts (decision 0012).
import type { DatabaseSync } from "node:sqlite";
import { openExistingDatabase, type SqliteIdentity } from "./sqlite_file.ts";
import { STATE_SCHEMA_APP_VERSION, STATE_SCHEMA_VERSION } from "./state_schema_version.ts";

/** What the global state database is: its label, version and `schema_meta` role. */
export const STATE_DB_IDENTITY: SqliteIdentity = {
  label: "OpenClaw state database",
  version: STATE_SCHEMA_VERSION,
  meta: { role: "global", agentId: null, appVersion: STATE_SCHEMA_APP_VERSION },
};

/** Where the global state database lives in a state dir. */
export function stateDbPath(stateDir: string): string {
  return `${stateDir}/state/openclaw.sqlite`;
}

/**
 * Opens the existing global state database read-write (version checked, the reference's pragmas set);
 * undefined when it does not exist yet. Throws `StateSchemaVersionError` for a version we cannot read.
 */
export function openExistingStateDb(stateDir: string): DatabaseSync | undefined {
  return openExistingDatabase(stateDbPath(stateDir), STATE_DB_IDENTITY);
}
