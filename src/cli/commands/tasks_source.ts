// Where `openclaw tasks` reads from: the state dir's ledger, reconciled for inspection as the reference's
// CLI shows it (the state dir itself: state_dir_of.ts).
import { reconcileForInspection } from "./tasks_inspect.ts";
import { type Ledger, readLedger } from "./tasks_ledger.ts";

/** The ledger as the reference's CLI inspects it (cron runs another row finished, recovered). */
export function inspectLedger(stateDir: string): Ledger {
  const ledger = readLedger(stateDir);
  return { ...ledger, tasks: reconcileForInspection(ledger.tasks) };
}
