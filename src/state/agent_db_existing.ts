// Opening an agent database that already exists, without loading the DDL: the path every start with
// sessions takes. Creating one is agent_db.ts (decision 0012).
import type { DatabaseSync } from "node:sqlite";
import { agentDbPath } from "./agent_db_path.ts";
import { AGENT_SCHEMA_APP_VERSION, AGENT_SCHEMA_VERSION } from "./agent_schema_version.ts";
import { openExistingDatabase, type SqliteIdentity } from "./sqlite_file.ts";

/** What an agent's database is: its label, version and `schema_meta` owner. */
export function agentDbIdentity(agentId: string): SqliteIdentity {
  return {
    label: "OpenClaw agent database",
    version: AGENT_SCHEMA_VERSION,
    meta: { role: "agent", agentId, appVersion: AGENT_SCHEMA_APP_VERSION },
  };
}

/**
 * Opens an agent's existing database read-write (version and owner checked, the reference's pragmas
 * set); undefined when it does not exist yet. Throws `StateSchemaVersionError` / `StateSchemaOwnerError`.
 */
export function openExistingAgentDb(stateDir: string, agentId: string): DatabaseSync | undefined {
  return openExistingDatabase(agentDbPath(stateDir, agentId), agentDbIdentity(agentId));
}
