// Who created an agent and when (`agent_provenance` in the global state database), as the
// reference records it on `openclaw agents add` and shows it in `agents list --json`.
import type { DatabaseSync } from "node:sqlite";
import { openExistingStateDb, openStateDb } from "./state_db.ts";
import type { StateDbAccess } from "./state_write_fence.ts";

/** One agent's provenance as `agents list --json` shows it. */
export interface AgentProvenance {
  createdVia: string;
  creatorAgentId: string | null;
  createdAt: number;
}

/**
 * Records that an operator created `agentId` now (replacing an older record of a deleted namesake), through
 * the ownership fence for `access`.
 */
export function recordOperatorProvenance(
  stateDir: string,
  agentId: string,
  options: { access: StateDbAccess; nowMs?: number },
): void {
  const db = openStateDb(stateDir, options.access);
  try {
    recordOperatorProvenanceIn(db, agentId, options.nowMs ?? Date.now());
  } finally {
    db.close();
  }
}

/** The same record, through a state database the caller holds open (the gateway's). */
export function recordOperatorProvenanceIn(db: DatabaseSync, agentId: string, nowMs: number): void {
  db.prepare(
    "INSERT INTO agent_provenance (agent_id, created_via, creator_agent_id, created_at_ms) VALUES (?, 'operator', NULL, ?) " +
      "ON CONFLICT (agent_id) DO UPDATE SET created_via = excluded.created_via, " +
      "creator_agent_id = excluded.creator_agent_id, created_at_ms = excluded.created_at_ms",
  ).run(agentId, nowMs);
}

/** The recorded provenance of the given agents; none when the state database does not exist yet. */
export function readProvenance(stateDir: string, agentIds: readonly string[]): Map<string, AgentProvenance> {
  const found = new Map<string, AgentProvenance>();
  const db = openExistingStateDb(stateDir, "read");
  if (!db) return found;
  try {
    const query = db.prepare(
      "SELECT created_via, creator_agent_id, created_at_ms FROM agent_provenance WHERE agent_id = ?",
    );
    for (const id of agentIds) {
      const row = query.get(id) as
        | { created_via: string; creator_agent_id: string | null; created_at_ms: number }
        | undefined;
      if (row) {
        found.set(id, {
          createdVia: row.created_via,
          creatorAgentId: row.creator_agent_id,
          createdAt: Number(row.created_at_ms),
        });
      }
    }
  } finally {
    db.close();
  }
  return found;
}
