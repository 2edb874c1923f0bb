// `openclaw gateway restart` with no unit installed: the gateway that holds the state dir restarts in place, and the
// command returns once it serves again, as the reference's CLI waits for its gateway's health after a restart.
import { delay } from "../async/delay.ts";
import { messageOf } from "../log/error_text.ts";
import { lockOwner } from "../server/instance_lock.ts";
import { readReferenceLockOwner } from "../server/reference_lock.ts";

/** How long `restart` waits for a signalled gateway to come back (it drains HTTP requests for up to 10 s). */
const RESTART_WAIT_MS = 60_000;
const POLL_MS = 100;

/** What restarting the state dir's owner came to; `confirmed` false: signalled, but its lock cannot say when it is back. */
export type OwnerRestart =
  | { ok: true; pid: number; port: number; confirmed: boolean }
  | { ok: false; pid: number; port: number; error: string };

/**
 * Restarts the gateway that owns the state dir in place (SIGUSR2) and waits until it serves again: a gateway
 * takes the reference's lock afresh once its restart is done (a new owner id), which is how this sees it, as the
 * reference's CLI does. Undefined when no process holds the state dir (or its record is unreadable).
 */
export async function restartLockOwner(
  where: { stateDir: string; configPath: string },
  options: { waitMs?: number } = {},
): Promise<OwnerRestart | undefined> {
  const record = (await lockOwner(where.stateDir))?.record;
  if (!record) return undefined;
  const { pid, port } = record;
  const before = await readReferenceLockOwner(where);
  try {
    Deno.kill(pid, "SIGUSR2");
  } catch (error) {
    return { ok: false, pid, port, error: `cannot signal the gateway (pid ${pid}): ${messageOf(error)}` };
  }
  // A gateway of an earlier build, or one whose reference lock could not be taken: signalled, nothing to wait on.
  if (before?.pid !== pid || !before.ownerId) return { ok: true, pid, port, confirmed: false };
  const deadline = Date.now() + (options.waitMs ?? RESTART_WAIT_MS);
  for (;;) {
    await delay(POLL_MS);
    const now = await readReferenceLockOwner(where);
    if (now && now.pid === pid && now.ownerId !== before.ownerId) {
      return { ok: true, pid, port: now.port ?? port, confirmed: true };
    }
    if (!(await lockOwner(where.stateDir))) {
      return { ok: false, pid, port, error: `the gateway (pid ${pid}) exited instead of restarting; see its log` };
    }
    if (Date.now() > deadline) {
      return {
        ok: false,
        pid,
        port,
        error: `the gateway (pid ${pid}) has not come back within ${
          Math.round((options.waitMs ?? RESTART_WAIT_MS) / 1000)
        } s; see its log for why`,
      };
    }
  }
}
