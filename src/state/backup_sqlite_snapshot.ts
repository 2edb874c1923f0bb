// A consistent, compacted copy of a live OpenClaw database for an archive, taken as the reference
// takes it: integrity-checked source, SQLite's online backup API (committed WAL pages included,
// no raw copy of a live file), then offline `journal_mode=DELETE`, transient-row sanitizing and
// compaction (`VACUUM`, or a rebuilt file where Deno refuses it), and the checks again on the copy.
import { backup, DatabaseSync } from "node:sqlite";
import {
  assertAgentDbOwner,
  assertSqliteIntegrity,
  assertStateDbOwner,
  registeredAgentDatabases,
} from "./backup_sqlite_checks.ts";
import { rebuildDatabase } from "./sqlite_rebuild.ts";

/** Which database a snapshot is of: it decides the owner check and the sanitizing. */
export type SnapshotRole =
  | { role: "global" }
  | { role: "agent"; agentId: string }
  // The quarantine and integrity-verification store: snapshotted, never owner-checked or sanitized.
  | { role: "quarantine" };

function tableExists(db: DatabaseSync, name: string): boolean {
  return db.prepare("SELECT 1 AS ok FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

function validate(db: DatabaseSync, label: string, owner: SnapshotRole): void {
  if (owner.role === "global") assertStateDbOwner(db, label);
  else if (owner.role === "agent") assertAgentDbOwner(db, label, owner.agentId);
}

/** Removes rows whose restore would replay work or hold leases (the reference's sanitizer). */
function sanitize(db: DatabaseSync, owner: SnapshotRole): void {
  if (owner.role === "quarantine") return;
  for (const table of ["state_leases", "agent_database_leases"]) {
    if (tableExists(db, table)) db.exec(`DELETE FROM ${table}`);
  }
  if (owner.role !== "global") return;
  if (tableExists(db, "delivery_queue_entries")) db.exec("DELETE FROM delivery_queue_entries");
  if (tableExists(db, "plugin_blob_entries")) db.exec("DELETE FROM plugin_blob_entries WHERE expires_at IS NOT NULL");
  if (!tableExists(db, "exec_approvals_config")) return;
  const rows = db.prepare("SELECT config_key, raw_json FROM exec_approvals_config").all() as {
    config_key: string;
    raw_json: string;
  }[];
  for (const row of rows) {
    try {
      const parsed = JSON.parse(row.raw_json);
      if (!parsed?.socket?.token) continue;
      delete parsed.socket.token;
      db.prepare("UPDATE exec_approvals_config SET raw_json = ? WHERE config_key = ?")
        .run(`${JSON.stringify(parsed, null, 2)}\n`, row.config_key);
    } catch {
      // An unreadable row stays as the database holds it; the gateway treats it as fail-closed.
    }
  }
}

/**
 * Rebuilds the copy with `VACUUM`, as the reference does; false when Deno refuses it (it disables
 * ATTACH, which VACUUM uses for its scratch database, unless the process holds every permission,
 * and the shipped binary does not): the caller then rebuilds the file itself (sqlite_rebuild.ts),
 * since `incremental_vacuum` would keep the deleted rows still lying in the live pages' free space.
 */
function compact(db: DatabaseSync): boolean {
  try {
    db.exec("VACUUM;");
    return true;
  } catch (error) {
    if (!/too many attached databases/.test(error instanceof Error ? error.message : String(error))) throw error;
    return false;
  }
}

/**
 * Snapshots `sourcePath` into the new file `targetPath`; returns the registry rows of a global
 * database (so the agent databases it lists are snapshotted too).
 */
export async function snapshotDatabase(
  sourcePath: string,
  targetPath: string,
  owner: SnapshotRole,
): Promise<{ agentId: string; path: string }[]> {
  const source = new DatabaseSync(sourcePath, { readOnly: true });
  try {
    source.exec("PRAGMA busy_timeout = 30000; PRAGMA trusted_schema = OFF;");
    assertSqliteIntegrity(source, sourcePath);
    validate(source, sourcePath, owner);
    await backup(source, targetPath);
  } finally {
    source.close();
  }
  await Deno.chmod(targetPath, 0o600);
  const copy = new DatabaseSync(targetPath);
  let registry: { agentId: string; path: string }[];
  let compacted: boolean;
  try {
    copy.exec("PRAGMA busy_timeout = 30000; PRAGMA trusted_schema = OFF; PRAGMA journal_mode = DELETE;");
    registry = owner.role === "global"
      ? registeredAgentDatabases(copy, sourcePath).map((row) => ({ ...row, agentId: row.agentId.toLowerCase() }))
      : [];
    // Rows the sanitizer deletes are zeroed on their pages.
    copy.exec("PRAGMA secure_delete = ON;");
    sanitize(copy, owner);
    compacted = compact(copy);
  } finally {
    copy.close();
  }
  if (!compacted) {
    const rebuilt = `${targetPath}.rebuilt`;
    try {
      rebuildDatabase(targetPath, rebuilt);
      await Deno.chmod(rebuilt, 0o600);
      await Deno.rename(rebuilt, targetPath);
    } finally {
      await Deno.remove(rebuilt).catch(() => {});
    }
  }
  const check = new DatabaseSync(targetPath, { readOnly: true });
  try {
    assertSqliteIntegrity(check, targetPath);
    validate(check, targetPath, owner);
    return registry;
  } finally {
    check.close();
  }
}
