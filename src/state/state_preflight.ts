// `openclaw database preflight <path>`: whether one copied global state database fits the schema this
// gateway speaks (the reference 2026.9.6's, version 18), without changing it. The checks run in the
// reference's order and the result has its JSON shape (`openclaw.state-schema-preflight.v1`), so an
// operator's tooling reads both programs' answers alike.
import type { DatabaseSync } from "node:sqlite";
import { collectSchemaIssues, namedIndexes, type SchemaIssue } from "./sqlite_schema_issues.ts";
import {
  assertIntegrity,
  openSnapshot,
  realPathOf,
  reasonOf,
  sidecarsOf,
  type SnapshotHandle,
  userVersion,
} from "./sqlite_copy_read.ts";
import { type ExternalOwnership, readStateOwnership } from "./state_ownership.ts";
import { STATE_SCHEMA_VERSION } from "./state_schema_version.ts";

/** What a preflight concludes; `incompatible` and `indeterminate` exit 1. */
export type PreflightStatus = "exact" | "startup-repairable" | "migration-required" | "incompatible" | "indeterminate";

/** The state preflight's JSON, key for key in the reference's order. */
export interface StatePreflightResult {
  schema: "openclaw.state-schema-preflight.v1";
  databasePath: string;
  targetVersion: number;
  foundVersion: number | null;
  contentVersion?: number;
  ownership: ExternalOwnership | null;
  issues: SchemaIssue[];
  status: PreflightStatus;
  requiresWrite: boolean;
  reason?: string;
}

/** Tables a reference gateway creates at start-up when missing (its additive tables). */
const STARTUP_ADDITIVE_TABLES = new Set(["worker_session_tool_operations", "worker_turn_tool_authorities"]);
/** The `config_machine_state` key recording a schema content version ahead of `user_version`. */
const CONTENT_VERSION_KEY = "state.schema.contentVersion";

/** Whether a start-up of the reference repairs the issue by itself (an additive table, a named index). */
export function isStartupRepairable(issue: SchemaIssue, indexNames: ReadonlySet<string>): boolean {
  if (issue.code === "missing-table") return STARTUP_ADDITIVE_TABLES.has(issue.objectName);
  return issue.code === "missing-or-drifted-index" && indexNames.has(issue.objectName);
}

/** The verdict on a schema comparison: exact, repairable at start-up (a write), or incompatible. */
export function schemaVerdict(
  issues: readonly SchemaIssue[],
  indexNames: ReadonlySet<string>,
): { status: PreflightStatus; issues: SchemaIssue[]; requiresWrite: boolean } {
  const blocking = issues.filter((issue) => !isStartupRepairable(issue, indexNames));
  if (blocking.length > 0) return { status: "incompatible", issues: blocking, requiresWrite: false };
  const repairable = [...issues];
  return {
    status: repairable.length > 0 ? "startup-repairable" : "exact",
    issues: repairable,
    requiresWrite: repairable.length > 0,
  };
}

/** The exit code of a preflight: 1 when the copy cannot be used as is or could not be judged. */
export function preflightExitCode(status: PreflightStatus): number {
  return status === "incompatible" || status === "indeterminate" ? 1 : 0;
}

/** The schema content version: `user_version`, or the newer version a reference recorded beside it. */
function contentVersionOf(db: DatabaseSync, published: number): number {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'config_machine_state'").get();
  if (!table) return published;
  const row = db.prepare("SELECT value_json FROM config_machine_state WHERE state_key = ?").get(CONTENT_VERSION_KEY) as
    | { value_json: string }
    | undefined;
  if (!row) return published;
  const version = JSON.parse(row.value_json);
  if (typeof version !== "number" || !Number.isSafeInteger(version) || version < 0) {
    throw new Error(`Invalid shared state schema content version in ${CONTENT_VERSION_KEY}.`);
  }
  return Math.max(published, version);
}

function assertMetadataVersion(db: DatabaseSync, path: string, found: number): void {
  const meta = db.prepare("SELECT schema_version FROM schema_meta WHERE meta_key = 'primary' LIMIT 1").get() as
    | { schema_version: unknown }
    | undefined;
  if (meta?.schema_version !== found) {
    const shown = typeof meta?.schema_version === "number" ? meta.schema_version : "invalid";
    throw new Error(`OpenClaw state database ${path} metadata schema version ${shown} does not match ${found}.`);
  }
}

/** Compares one copied state database with this gateway's schema; `statements` is its DDL (loaded by the caller). */
export function preflightStateDatabase(path: string, statements: readonly string[]): StatePreflightResult {
  const target = STATE_SCHEMA_VERSION;
  let foundVersion: number | null = null;
  let contentVersion: number | undefined;
  let ownership: ExternalOwnership | null = null;
  const result = (
    status: PreflightStatus,
    details: { issues?: SchemaIssue[]; requiresWrite?: boolean; reason?: string } = {},
  ): StatePreflightResult => ({
    schema: "openclaw.state-schema-preflight.v1",
    databasePath: path,
    targetVersion: target,
    foundVersion,
    ...(contentVersion !== undefined && contentVersion !== foundVersion ? { contentVersion } : {}),
    ownership,
    issues: details.issues ?? [],
    status,
    requiresWrite: details.requiresWrite ?? false,
    ...(details.reason ? { reason: details.reason } : {}),
  });
  let snapshot: SnapshotHandle | undefined;
  try {
    const real = realPathOf(path);
    const sidecars = sidecarsOf(real);
    if (sidecars.length > 0) {
      throw new Error(
        `SQLite preflight requires a consolidated snapshot with no sidecars; found ${sidecars.join(", ")}. ` +
          "Create a WAL-aware online backup and preflight the resulting standalone file.",
      );
    }
    snapshot = openSnapshot(real);
    const db = snapshot.db;
    assertIntegrity(db, path);
    foundVersion = userVersion(db);
    contentVersion = foundVersion > target ? foundVersion : contentVersionOf(db, foundVersion);
    if (contentVersion > target) {
      try {
        ownership = readStateOwnership(db, path);
      } catch {
        // A newer schema may keep ownership differently; the verdict is incompatible either way.
      }
      return result("incompatible");
    }
    ownership = readStateOwnership(db, path);
    if (contentVersion < target) return result("migration-required", { requiresWrite: true });
    assertMetadataVersion(db, path, foundVersion);
    const verdict = schemaVerdict(collectSchemaIssues(db, statements), namedIndexes(statements));
    return result(verdict.status, verdict);
  } catch (error) {
    return result("indeterminate", { reason: reasonOf(error) });
  } finally {
    snapshot?.close();
  }
}
