import { delay } from "../async/delay.ts";
import { messageOf } from "../log/error_text.ts";
import { lockOwner, lockPath } from "../server/instance_lock.ts";
import { supervisingUnit } from "../service/runtime.ts";

/** How long `stop` waits for a signalled gateway to let go of its state dir (it drains for up to 10 s). */
const STOP_WAIT_MS = 30_000;

/** What stopping the state dir's owner came to. */
export type OwnerStop = { ok: true; pid: number; port: number } | { ok: false; error: string };

/**
 * Stops the gateway that owns the state dir, by its lock: SIGTERM, then wait until the lock is
 * free. Undefined when no process holds the lock (nothing to stop).
 */
export async function stopLockOwner(stateDir: string): Promise<OwnerStop | undefined> {
  const owner = await lockOwner(stateDir);
  if (!owner) return undefined;
  const record = owner.record;
  if (!record) {
    return {
      ok: false,
      error: `a gateway owns ${stateDir} but its lock record ${
        lockPath(stateDir)
      } is unreadable; find its pid with openclaw gateway status and stop it by hand`,
    };
  }
  const unit = await supervisingUnit(record.pid);
  if (unit) {
    return {
      ok: false,
      error:
        `the gateway that owns ${stateDir} (pid ${record.pid}) runs under ${unit.unit}, which would start it again; stop it with: ${
          unit.user ? "systemctl --user" : "sudo systemctl"
        } stop ${unit.unit}`,
    };
  }
  try {
    Deno.kill(record.pid, "SIGTERM");
  } catch (error) {
    return {
      ok: false,
      error: `cannot signal the gateway that owns ${stateDir} (pid ${record.pid}): ${
        messageOf(error)
      }. Stop it as the account that runs it`,
    };
  }
  const deadline = Date.now() + STOP_WAIT_MS;
  for (;;) {
    const now = await lockOwner(stateDir);
    if (!now) return { ok: true, pid: record.pid, port: record.port };
    if (now.record && now.record.pid !== record.pid) {
      return {
        ok: false,
        error:
          `pid ${record.pid} stopped, but pid ${now.record.pid} took ${stateDir} over at once: a supervisor restarted it. Stop it through that supervisor (systemctl stop, or sudo systemctl stop for a system unit)`,
      };
    }
    if (Date.now() > deadline) {
      return {
        ok: false,
        error: `sent SIGTERM to pid ${record.pid}, but it still owns ${stateDir} after ${
          STOP_WAIT_MS / 1000
        } s. Check it with openclaw gateway status; kill -9 ${record.pid} ends it without a drain`,
      };
    }
    await delay(100);
  }
}
