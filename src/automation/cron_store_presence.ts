// Whether a state dir holds any scheduler state, without loading the store: a gateway with
// neither the state database nor a legacy JSON store has no jobs, and can open the store on first use.
import { joinPath, resolvePath } from "../config/posix_path.ts";

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    // absent (or unreadable: the store will say why when it opens)
    return false;
  }
}

/** True when `<stateDir>/state/openclaw.sqlite` or the legacy `cron/jobs.json` / `cron/runs/` exists. */
export function cronStateExists(stateDir: string): boolean {
  return [
    joinPath(stateDir, "state", "openclaw.sqlite"),
    joinPath(stateDir, "cron", "jobs.json"),
    joinPath(stateDir, "cron", "runs"),
  ].some(exists);
}

/**
 * True only when the state dir certainly holds no cron job of this gateway's partition and no cron
 * run history: no legacy JSON store, and either no state database or one whose `cron_jobs` has no
 * row for the partition (`<stateDir>/cron/jobs.json`, as the store keys it) and `task_runs` no cron
 * run. The database is read through a read-only connection closed at once, so a gateway without jobs
 * never keeps SQLite or the store in memory for cron. Any doubt (unreadable, older schema) says false.
 */
export async function cronStoreIsEmpty(stateDir: string): Promise<boolean> {
  if (exists(joinPath(stateDir, "cron", "jobs.json")) || exists(joinPath(stateDir, "cron", "runs"))) return false;
  const dbPath = joinPath(stateDir, "state", "openclaw.sqlite");
  if (!exists(dbPath)) return true;
  const { DatabaseSync } = await import("node:sqlite");
  let db: InstanceType<typeof DatabaseSync> | undefined;
  try {
    db = new DatabaseSync(dbPath, { readOnly: true });
    const job = db.prepare("SELECT 1 FROM cron_jobs WHERE store_key = ? LIMIT 1")
      .get(resolvePath(joinPath(stateDir, "cron", "jobs.json")));
    if (job !== undefined) return false;
    return db.prepare("SELECT 1 FROM task_runs WHERE runtime = 'cron' LIMIT 1").get() === undefined;
  } catch {
    return false;
  } finally {
    db?.close();
  }
}
