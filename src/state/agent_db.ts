// One agent's database, <stateDir>/agents/<id>/agent/openclaw-agent.sqlite, as the reference keeps it:
// sessions (session_nodes, session_windows) and transcripts (transcript_events) among ~70 tables. This
// gateway creates it as the reference does and writes only the rows its features use (decision 0012).
import type { DatabaseSync } from "node:sqlite";
import { AGENT_SCHEMA_APP_VERSION, AGENT_SCHEMA_SQL, AGENT_SCHEMA_VERSION } from "./agent_schema.ts";
import { openSchemaDatabase } from "./sqlite_file.ts";
import { openStateDb, registerAgentDb } from "./state_db.ts";

export { StateSchemaOwnerError, StateSchemaVersionError } from "./sqlite_file.ts";

/** Agent ids that may name a directory (OpenClaw's normalized ids). */
const AGENT_DIR_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** An agent id that is not a valid id would have become part of a path. */
export class AgentDbIdError extends Error {
  constructor(agentId: string) {
    super(
      `Cannot open the database of agent ${
        JSON.stringify(agentId.slice(0, 80))
      }: not a valid agent id (use lowercase letters, digits, "_" and "-", at most 64)`,
    );
    this.name = "AgentDbIdError";
  }
}

/** The agent database's path relative to the state dir, as the global registry stores it. */
export function agentDbRelativePath(agentId: string): string {
  if (!AGENT_DIR_ID.test(agentId)) throw new AgentDbIdError(agentId);
  return `agents/${agentId}/agent/openclaw-agent.sqlite`;
}

/** Where an agent's database lives in a state dir. */
export function agentDbPath(stateDir: string, agentId: string): string {
  return `${stateDir}/${agentDbRelativePath(agentId)}`;
}

/** Whether the agent's database exists (without creating it). */
export function agentDbExists(stateDir: string, agentId: string): boolean {
  try {
    return Deno.statSync(agentDbPath(stateDir, agentId)).isFile;
  } catch {
    return false;
  }
}

/**
 * Opens an agent's database read-write, creating it (DDL, `schema_meta`, WAL) and registering it in the
 * global state database when missing; throws `StateSchemaVersionError` for a version this gateway cannot
 * read and `StateSchemaOwnerError` when it belongs to another agent. The caller closes it.
 */
export function openAgentDb(stateDir: string, agentId: string): DatabaseSync {
  const path = agentDbPath(stateDir, agentId);
  const existed = agentDbExists(stateDir, agentId);
  const db = openSchemaDatabase(path, {
    label: "OpenClaw agent database",
    version: AGENT_SCHEMA_VERSION,
    statements: AGENT_SCHEMA_SQL,
    meta: { role: "agent", agentId, appVersion: AGENT_SCHEMA_APP_VERSION },
  });
  if (!existed) {
    try {
      const state = openStateDb(stateDir);
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
  }
  return db;
}
