// The shared state database's bounded log of backup outcomes (`backup_runs`), written as the
// reference writes it after every non-dry-run `backup create`, so its freshness checks (doctor,
// status) see our backups too. Only an existing state database is written; none is created.
import { immediate } from "./immediate.ts";
import { openExistingStateDb } from "./state_db_existing.ts";
import type { StateDbAccess } from "./state_write_fence.ts";

/** The reference keeps the newest 200 rows. */
const KEEP = 200;

/** One outcome as the reference records it. */
export interface BackupOutcome {
  /** `archive` (a full archive, the default) or `sqlite-snapshot`. */
  kind?: "archive" | "sqlite-snapshot";
  archivePath: string;
  status: "ok" | "failed";
  error?: string | undefined;
}

const bounded = (value: string | undefined, max: number) => {
  const trimmed = value?.trim();
  return trimmed ? trimmed.slice(0, max) : undefined;
};

/**
 * Records `outcome` in `<stateDir>/state/openclaw.sqlite` when that database exists, through the ownership
 * fence for `access`.
 */
export function recordBackupOutcome(
  stateDir: string,
  outcome: BackupOutcome,
  options: { access: StateDbAccess; nowMs?: number },
): void {
  const nowMs = options.nowMs ?? Date.now();
  const db = openExistingStateDb(stateDir, options.access);
  if (!db) return;
  try {
    const error = bounded(outcome.error, 1200);
    const manifest = JSON.stringify({ kind: outcome.kind ?? "archive", ...(error ? { error } : {}) });
    immediate(db, () => {
      db.prepare(
        "INSERT INTO backup_runs (id, created_at, archive_path, status, manifest_json) VALUES (?, ?, ?, ?, ?)",
      ).run(crypto.randomUUID(), nowMs, outcome.archivePath, outcome.status, manifest);
      db.prepare(
        "DELETE FROM backup_runs WHERE id IN (SELECT id FROM backup_runs ORDER BY created_at DESC, id DESC LIMIT -1 OFFSET ?)",
      ).run(KEEP);
    });
  } finally {
    db.close();
  }
}
