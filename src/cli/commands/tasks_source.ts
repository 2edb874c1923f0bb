// Where `openclaw tasks` reads from: the state dir of the options (profile, dev, OPENCLAW_STATE_DIR) and its
// ledger, reconciled for inspection as the reference's CLI shows it.
import { type EnvSnapshot, pathExists, resolvePaths } from "../../config/paths.ts";
import type { GlobalOptions } from "../main.ts";
import { reconcileForInspection } from "./tasks_inspect.ts";
import { type Ledger, readLedger } from "./tasks_ledger.ts";

/** Where the ledger lives for these options. */
export function stateDirOf(options: GlobalOptions): string {
  const env: EnvSnapshot = Deno.env.toObject();
  return resolvePaths({ env, profile: options.profile, dev: options.dev, exists: pathExists }).stateDir;
}

/** The ledger as the reference's CLI inspects it (cron runs another row finished, recovered). */
export function inspectLedger(stateDir: string): Ledger {
  const ledger = readLedger(stateDir);
  return { ...ledger, tasks: reconcileForInspection(ledger.tasks) };
}
