// Whether a state dir holds any scheduler state, without loading SQLite or the store: a gateway with
// neither the state database nor a legacy JSON store has no jobs, and can open the store on first use.
import { join } from "node:path";

/** True when `<stateDir>/state/openclaw.sqlite` or the legacy `cron/jobs.json` / `cron/runs/` exists. */
export function cronStateExists(stateDir: string): boolean {
  for (
    const path of [
      join(stateDir, "state", "openclaw.sqlite"),
      join(stateDir, "cron", "jobs.json"),
      join(stateDir, "cron", "runs"),
    ]
  ) {
    try {
      Deno.statSync(path);
      return true;
    } catch {
      // absent (or unreadable: the store will say why when it opens)
    }
  }
  return false;
}
