// `gateway run` refuses to start on a shared state database another program owns, before it listens,
// as the reference 2026.9.6 does: its words (the fence's refusal, then its state-maintenance guidance),
// exit 78. The check costs a stat when there is no state database yet, and a read of a few pages of its
// file otherwise (sqlite_claim_scan.ts); only a database that may hold a claim row loads node:sqlite for
// one read-only open (docs/performance.md).
import { type EnvSnapshot, pathExists } from "../config/paths.ts";
import { mayHoldOwnershipRow } from "../state/sqlite_claim_scan.ts";
import { stateDbPath } from "../state/state_db_path.ts";
import { writeAccessFor } from "../state/state_write_fence.ts";
import { StartupError } from "./startup_error.ts";

/** The reference's guidance after a start refused for its state database (its state-maintenance path). */
export const STATE_MAINTENANCE_GUIDANCE = "Stop the service with openclaw gateway stop (or its service owner), " +
  "then run openclaw doctor --fix, then start it again with openclaw gateway start.";

/** The reference's failure line and the log line before it, for a fence refusal `message`. */
export function fenceStartRefusal(message: string, cause: unknown): StartupError {
  return new StartupError(`${message} | gateway.maintenance_required. ${STATE_MAINTENANCE_GUIDANCE}`, {
    kind: "config",
    cause,
    preface: [message, `[gateway] requires state migration. ${STATE_MAINTENANCE_GUIDANCE}`],
  });
}

/**
 * The reference's failure line for a fence refusal met once its runtime started (it got there because the
 * config did not load, so its early check was skipped): exit 1, no preface.
 */
export function fenceRuntimeRefusal(message: string, cause: unknown): StartupError {
  return new StartupError(`${message}. Run openclaw gateway status --deep for diagnostics.`, {
    kind: "runtime",
    cause,
  });
}

/**
 * Throws a {@link StartupError} when the state database in `stateDir` is claimed by an external manager
 * and this process is not that supervisor (OPENCLAW_SUPERVISOR_MODE in `env`, the start's snapshot), or
 * when the claim row does not parse. A refusal first awaits `beforeRefusal`, whose own refusal (another
 * gateway holding the state dir, which the reference reports first) is thrown instead; it costs nothing
 * on a start the fence admits. `when` picks the reference's words: its early check, or its runtime's.
 */
export async function checkStateFenceAtStart(
  stateDir: string,
  env: EnvSnapshot,
  beforeRefusal?: () => Promise<void>,
  when: "early" | "runtime" = "early",
): Promise<void> {
  const path = stateDbPath(stateDir);
  if (!pathExists(path) || !mayHoldOwnershipRow(path)) return;
  const { probeStateWriteFence } = await import("../state/state_fence_probe.ts");
  try {
    probeStateWriteFence(path, writeAccessFor(env.OPENCLAW_SUPERVISOR_MODE));
  } catch (error) {
    await beforeRefusal?.();
    const message = error instanceof Error ? error.message : String(error);
    throw when === "early" ? fenceStartRefusal(message, error) : fenceRuntimeRefusal(message, error);
  }
}
