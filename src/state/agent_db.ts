// One agent's database, <stateDir>/agents/<id>/agent/openclaw-agent.sqlite, as the reference keeps it:
// sessions (session_nodes, session_windows) and transcripts (transcript_events) among ~70 tables. This
// gateway creates it as the reference does and writes only the rows its features use (decision 0012).
import type { DatabaseSync } from "node:sqlite";
import { AGENT_SCHEMA_SEED_SQL, AGENT_SCHEMA_SQL, AGENT_SCHEMA_VERSION } from "./agent_schema.ts";
import { agentDbIdentity, openExistingAgentDb } from "./agent_db_existing.ts";
import { openSchemaDatabase } from "./sqlite_file.ts";
import { backfillTranscriptGenerations } from "./transcript_generation.ts";
import { openStateDb, registerAgentDb } from "./state_db.ts";
import type { StateDbAccess } from "./state_write_fence.ts";
import { agentDbPath, agentDbRelativePath } from "./agent_db_path.ts";

export { agentDbExists, AgentDbIdError, agentDbPath, agentDbRelativePath } from "./agent_db_path.ts";
export { openExistingAgentDb } from "./agent_db_existing.ts";

export { StateSchemaOwnerError, StateSchemaVersionError } from "./sqlite_file.ts";

/**
 * Opens an agent's database read-write, creating it (DDL, `schema_meta`, WAL) and registering it in the
 * global state database when missing; throws `StateSchemaVersionError` for a version this gateway cannot
 * read and `StateSchemaOwnerError` when it belongs to another agent; the registration passes the shared-state
 * ownership fence for `access` (default: an unsupervised write). The caller closes it.
 */
export function openAgentDb(stateDir: string, agentId: string, access: StateDbAccess = "write"): DatabaseSync {
  const existing = openExistingAgentDb(stateDir, agentId);
  if (existing) {
    backfillTranscriptGenerations(existing);
    return existing;
  }
  const path = agentDbPath(stateDir, agentId);
  const db = openSchemaDatabase(path, {
    ...agentDbIdentity(agentId),
    statements: AGENT_SCHEMA_SQL,
    seeds: AGENT_SCHEMA_SEED_SQL,
  });
  try {
    const state = openStateDb(stateDir, access);
    try {
      registerAgentDb(state, {
        agentId,
        path: agentDbRelativePath(agentId),
        schemaVersion: AGENT_SCHEMA_VERSION,
        sizeBytes: Deno.statSync(path).size,
      });
    } finally {
      state.close();
    }
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
