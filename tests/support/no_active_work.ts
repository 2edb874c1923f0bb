// The work counts of a gateway with nothing running, which the suspension and restart tests start from.
import type { ActiveWorkCounts } from "../../src/rpc/active_work.ts";

/** Every kind of work at zero. */
export const NO_ACTIVE_WORK: Readonly<ActiveWorkCounts> = {
  pendingReplies: 0,
  embeddedRuns: 0,
  queuedTurns: 0,
  backgroundExecSessions: 0,
  cronRuns: 0,
  rootRequests: 0,
  terminalSessions: 0,
};
