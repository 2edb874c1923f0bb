// The gateway's work in progress counted from the services that hold it: what a host suspension and a restart
// wait for (runs, commands, cron jobs, channel sends, admitted requests).
import type { AgentRuns } from "../agent/runs.ts";
import type { ChannelManager } from "../channels/manager.ts";
import type { ActiveWorkCounts } from "../rpc/active_work.ts";
import type { WorkAdmission } from "../rpc/work_admission.ts";
import type { CronWiring } from "./cron_wiring.ts";

/** The services whose work is counted. */
export interface ActiveWorkSources {
  admission: WorkAdmission;
  runs: AgentRuns;
  /** Commands `exec` started that still run. */
  runningCommands(): number;
  cron: CronWiring;
  channels: ChannelManager;
}

/** The work in progress by kind, counted now. */
export function countActiveWork(w: ActiveWorkSources): ActiveWorkCounts {
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
