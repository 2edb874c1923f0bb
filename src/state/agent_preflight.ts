// `openclaw database preflight-agent <path> --agent-id <id>`: whether one copied agent database fits
// the agent schema this gateway speaks (the reference 2026.9.6's, version 23) and belongs to that
// agent, without changing it; the reference's checks in its order, its words and its JSON shape.
import type { DatabaseSync } from "node:sqlite";
import { AGENT_SCHEMA_APP_VERSION, AGENT_SCHEMA_VERSION } from "./agent_schema_version.ts";
import { collectSchemaIssues } from "./sqlite_schema_issues.ts";
import {
  assertIntegrity,
  openSnapshot,
  realPathOf,
  reasonOf,
  sidecarsOf,
  type SnapshotHandle,
  userVersion,
} from "./sqlite_copy_read.ts";
import type { PreflightStatus } from "./state_preflight.ts";

/** The agent preflight's JSON, key for key in the reference's order. */
export interface AgentPreflightResult {
  schema: "openclaw.agent-schema-preflight.v1";
  databasePath: string;
  agentId: string;
  targetVersion: number;
  requiresWrite: false;
  issues: readonly never[];
  foundVersion: number | null;
  status: PreflightStatus;
  reason?: string;
}

/** An agent id as the reference writes it: lowercase letters, digits, `_` and `-`, at most 64. */
const CANONICAL_AGENT_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const SCHEMA_DOCS_URL = "https://docs.openclaw.ai/reference/database-schemas";

/** The reference's refusal of a database a newer release wrote (the build line names this gateway). */
function newerSchemaMessage(path: string, found: number): string {
  return [
    "This OpenClaw build cannot open your existing data.",
    `OpenClaw agent database ${path} uses newer schema version ${found}; this build supports ${AGENT_SCHEMA_VERSION}.`,
    `Refused by a gateway that reads the OpenClaw ${AGENT_SCHEMA_APP_VERSION} schemas.`,
    `Use a build that supports schema ${found} or newer with this state directory. To use an older build, restore your pre-update backup created with openclaw backup create.`,
    `See ${SCHEMA_DOCS_URL}.`,
  ].join("\n");
}

/** Refuses a database whose `schema_meta` names another role or agent, in the reference's words. */
function assertOwner(db: DatabaseSync, path: string, agentId: string): void {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_meta'").get();
  if (!table) return;
  const meta = db.prepare("SELECT role, agent_id FROM schema_meta WHERE meta_key = 'primary'").get() as
    | { role: unknown; agent_id: unknown }
    | undefined;
  if (!meta) return;
  if (meta.role !== "agent") {
    throw new Error(
      `OpenClaw agent database ${path} has schema role ${
        typeof meta.role === "string" ? meta.role : "unknown"
      }; expected agent.`,
    );
  }
  const owner = typeof meta.agent_id === "string" ? meta.agent_id.trim() : "";
  if (!owner) throw new Error(`OpenClaw agent database ${path} has no agent owner.`);
  if (owner.toLowerCase() !== agentId) {
    throw new Error(`OpenClaw agent database ${path} belongs to agent ${owner}; requested agent ${agentId}.`);
  }
}

function assertSchema(db: DatabaseSync, path: string, statements: readonly string[]): void {
  const messages = [...new Set(collectSchemaIssues(db, statements).map((issue) => issue.message))];
  if (messages.length === 0) return;
  const shown = messages.slice(0, 8);
  if (messages.length > shown.length) shown.push(`${messages.length - shown.length} additional mismatch(es)`);
  throw new Error(
    `SQLite schema is incomplete or noncanonical for ${path}: ${
      shown.join("; ")
    }; run openclaw doctor --fix to repair it.`,
  );
}

/** Compares one copied agent database with this gateway's agent schema and owner; `statements` is its DDL. */
export function preflightAgentDatabase(
  path: string,
  agentId: string,
  statements: readonly string[],
): AgentPreflightResult {
  const base = {
    schema: "openclaw.agent-schema-preflight.v1",
    databasePath: path,
    agentId,
    targetVersion: AGENT_SCHEMA_VERSION,
    requiresWrite: false,
    issues: [],
  } as const;
  let foundVersion: number | null = null;
  let status: PreflightStatus = "indeterminate";
  let snapshot: SnapshotHandle | undefined;
  try {
    if (!CANONICAL_AGENT_ID.test(agentId)) throw new Error("Agent preflight requires an explicit canonical agent ID.");
    const real = realPathOf(path);
    if (real !== path || !Deno.statSync(real).isFile) {
      throw new Error("Agent preflight requires a canonical regular copied database path.");
    }
    if (sidecarsOf(real).length > 0) {
      throw new Error("Agent preflight requires a consolidated snapshot with no SQLite sidecars.");
    }
    snapshot = openSnapshot(real);
    const db = snapshot.db;
    assertIntegrity(db, path);
    foundVersion = userVersion(db);
    status = "incompatible";
    if (foundVersion > AGENT_SCHEMA_VERSION) throw new Error(newerSchemaMessage(path, foundVersion));
    assertOwner(db, path, agentId);
    if (foundVersion < AGENT_SCHEMA_VERSION) {
      throw new Error(
        `OpenClaw agent database ${path} uses schema version ${foundVersion}; stop active agents and run openclaw doctor --fix to migrate session identities before using it.`,
      );
    }
    assertSchema(db, path, statements);
    return { ...base, foundVersion, status: "exact" };
  } catch (error) {
    return { ...base, foundVersion, status, reason: reasonOf(error) };
  } finally {
    snapshot?.close();
  }
}
