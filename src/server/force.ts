import { delay } from "../async/delay.ts";
import type { Logger } from "../log/logger.ts";
import { StartupError } from "./guards.ts";
import { findPortListeners } from "./port_owner.ts";
import { messageOf } from "../log/error_text.ts";

/** Timings of {@link freePort}; the defaults follow OpenClaw's `--force`. */
export interface FreePortTimings {
  termGraceMs: number;
  killGraceMs: number;
  bindableWaitMs: number;
  pollMs: number;
}

const DEFAULT_TIMINGS: FreePortTimings = { termGraceMs: 700, killGraceMs: 2000, bindableWaitMs: 3000, pollMs: 100 };

function canBind(host: string, port: number): boolean {
  try {
    Deno.listen({ hostname: host, port }).close();
    return true;
  } catch {
    return false;
  }
}

/**
 * `gateway --force`: stops whatever listens on the port (SIGTERM, then SIGKILL after a grace
 * period) and waits until the port can be bound again.
 */
export async function freePort(
  input: { host: string; port: number; log: Logger; timings?: Partial<FreePortTimings> },
): Promise<void> {
  const { host, port, log } = input;
  const t = { ...DEFAULT_TIMINGS, ...input.timings };
  const listeners = (await findPortListeners(port)).filter((l) => l.pid !== Deno.pid);
  if (listeners.length === 0) {
    if (canBind(host, port)) {
      log.debug(`force: no listeners on port ${port}`);
      return;
    }
    throw new StartupError(
      `port ${port} is still busy after --force, but no listener PID could be determined. Run openclaw gateway status --deep to inspect the listener.`,
      { kind: "conflict" },
    );
  }
  const pids = [...new Set(listeners.map((l) => l.pid))];
  const started = Date.now();
  for (const pid of pids) {
    const command = listeners.find((l) => l.pid === pid)?.command ?? "unknown";
    try {
      Deno.kill(pid, "SIGTERM");
      log.info(`force: killed pid ${pid} (${command}) on port ${port}`);
    } catch (error) {
      throw new StartupError(
        `Could not free port ${port}: cannot signal pid ${pid} (${
          messageOf(error)
        }). Run openclaw gateway status --deep to inspect the listener.`,
        { kind: "conflict", cause: error },
      );
    }
  }
  // Still listening is what matters: a victim that exited but awaits reaping holds no port.
  const alive = async () => {
    const now = new Set((await findPortListeners(port)).map((l) => l.pid));
    return pids.filter((pid) => now.has(pid));
  };
  while ((await alive()).length > 0 && Date.now() - started < t.termGraceMs) await delay(t.pollMs);
  if ((await alive()).length > 0) {
    log.warn(`force: escalated to SIGKILL while freeing port ${port}`);
    for (const pid of await alive()) {
      try {
        Deno.kill(pid, "SIGKILL");
      } catch {
        // It exited between the check and the kill.
      }
    }
    while ((await alive()).length > 0 && Date.now() - started < t.termGraceMs + t.killGraceMs) await delay(t.pollMs);
  }
  const survivors = await alive();
  if (survivors.length > 0) {
    throw new StartupError(
      `Could not free port ${port}: pid ${survivors.join(", ")} survived SIGKILL. ` +
        "Run openclaw gateway status --deep to inspect the listener.",
      { kind: "conflict" },
    );
  }
  log.info(`force: waited ${Date.now() - started}ms for port ${port} to free`);
  const bindStart = Date.now();
  while (!canBind(host, port)) {
    if (Date.now() - bindStart > t.bindableWaitMs) {
      throw new StartupError(
        `Could not free port ${port}: it is still not bindable after ${t.bindableWaitMs}ms. Run openclaw gateway status --deep to inspect the listener.`,
        { kind: "conflict" },
      );
    }
    await delay(150);
  }
  if (Date.now() - bindStart > 0) {
    log.debug(`force: waited ${Date.now() - bindStart}ms for port ${port} to become bindable`);
  }
}
