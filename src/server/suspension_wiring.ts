// Cooperative host suspension wired to the gateway: the admission fence's phase changes are logged and
// broadcast (`gateway.suspension`, as the reference), the coordinator counts the gateway's work in
// progress (runs, commands, cron jobs, channel sends, requests) and pauses the cron scheduler while it holds.
import type { Logger } from "../log/logger.ts";
import type { Hub } from "../protocol/hub.ts";
import { SuspensionCoordinator } from "../rpc/suspension.ts";
import { type ActiveWorkSources, countActiveWork } from "./active_work_wiring.ts";

/** What the suspension reads and steers: the work it counts, where it broadcasts and logs. */
export interface SuspensionWiring extends ActiveWorkSources {
  hub: Hub;
  log: Logger;
}

/** The coordinator behind `gateway.suspend.*`, with the fence's phase changes logged and broadcast. */
export function wireSuspension(w: SuspensionWiring): SuspensionCoordinator {
  w.admission.onChange((phase) => {
    // The reference's admission lines (its `gateway/admission` subsystem), once per close and reopen.
    if (phase === "preparing") w.log.info("admission closed: suspend phase");
    else if (phase === "accepting") w.log.info("admission reopened: suspend phase");
    w.hub.broadcast("gateway.suspension", { phase });
  });
  return new SuspensionCoordinator({
    admission: w.admission,
    counts: () => countActiveWork(w),
    pauseScheduling: () => w.cron.pauseScheduling(),
    resumeScheduling: () => w.cron.resumeScheduling(),
    warn: (message) => w.log.warn(message),
  });
}
