// `gateway.restart.*` wired to the gateway: the preflight counts the same work a suspension counts, and a
// restart the scheduler delivers is the process's restart in place (the runner's control queue, as SIGUSR2).
import type { Logger } from "../log/logger.ts";
import { type RestartPreflight, restartPreflight, restartWaitDetails } from "../rpc/restart_preflight.ts";
import { RestartScheduler } from "../rpc/restart_scheduler.ts";
import { type ActiveWorkSources, countActiveWork } from "./active_work_wiring.ts";

/** What the restart methods read and steer. */
export interface RestartWiring {
  work: ActiveWorkSources;
  requestRestart(reason: string, handled: () => void): void;
  log: Logger;
}

/** The gateway's one restart scheduler, and what it decides over the same work. */
export interface WiredRestart {
  scheduler: RestartScheduler;
  preflight(method: string): RestartPreflight;
  /**
   * A config reload's restart, deferred as the reference defers it: while work is in progress (any request, the
   * config write's own included) or another restart is pending or delivered, it goes to the scheduler (no cooldown),
   * which restarts in place once the work has finished (or after 5 minutes regardless) and joins it with the one
   * pending. Answers what the restart waits for (empty: it joined the pending one), or undefined when nothing is
   * running and nothing is pending: the caller restarts now.
   */
  deferReload(reason: string): string[] | undefined;
}

/** The scheduler, the preflight and the reload deferral behind `gateway.restart.*`, config writes and reloads. */
export function wireRestart(w: RestartWiring): WiredRestart {
  const scheduler = new RestartScheduler({
    pid: Deno.pid,
    pending: () => restartPreflight(countActiveWork(w.work), []).counts.totalActive,
    deliver: (reason, handled) => w.requestRestart(reason, handled),
    info: (message) => w.log.info(message),
    warn: (message) => w.log.warn(message),
  });
  return {
    scheduler,
    preflight: (method) => {
      // The request asking is being answered: the reference leaves it out of what a restart waits for.
      const origin = `ws:${method}`;
      const counts = countActiveWork(w.work);
      const own = w.work.admission.heldBy(origin) > 0 ? 1 : 0;
      return restartPreflight(
        { ...counts, rootRequests: counts.rootRequests - own },
        w.work.admission.holders(origin),
      );
    },
    deferReload: (reason) => {
      const preflight = restartPreflight(countActiveWork(w.work), []);
      const busy = scheduler.busy;
      if (preflight.safe && !busy) return undefined;
      scheduler.schedule({ reason, skipDeferral: false, skipCooldown: true });
      return preflight.safe ? [] : restartWaitDetails(preflight.counts);
    },
  };
}
