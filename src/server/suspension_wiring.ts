// Cooperative host suspension wired to the gateway: the admission fence's phase changes are logged and
// broadcast (`gateway.suspension`, as the reference), the coordinator counts the gateway's work in
// progress (runs, commands, cron jobs, channel sends, requests) and pauses the cron scheduler while it holds.
import type { AgentRuns } from "../agent/runs.ts";
import type { ChannelManager } from "../channels/manager.ts";
import type { Logger } from "../log/logger.ts";
import type { ActiveWorkCounts } from "../rpc/active_work.ts";
import type { Hub } from "../protocol/hub.ts";
import { SuspensionCoordinator } from "../rpc/suspension.ts";
import type { WorkAdmission } from "../rpc/work_admission.ts";
import type { CronWiring } from "./cron_wiring.ts";

/** What the suspension reads and steers. */
export interface SuspensionWiring {
  admission: WorkAdmission;
  hub: Hub;
  runs: AgentRuns;
  /** Commands `exec` started that still run. */
  runningCommands(): number;
  cron: CronWiring;
  channels: ChannelManager;
  log: Logger;
}

/** The gateway's work in progress by kind, as a suspension and a restart read it. */
export function countActiveWork(w: Omit<SuspensionWiring, "hub" | "log">): ActiveWorkCounts {
  const { active, queued } = w.runs.activity();
  return {
    pendingReplies: w.channels.sending,
    embeddedRuns: active,
    queuedTurns: queued,
    backgroundExecSessions: w.runningCommands(),
    cronRuns: w.cron.activeRuns,
    rootRequests: w.admission.rootCount,
    // Operator terminals are disabled in this gateway (`terminal.open` refuses).
    terminalSessions: 0,
  };
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
