// A run the tool-loop guard stopped (a second critical loop in the run), in a module of its own: how a failed run
// is reported (run_failure_report.ts, on the gateway's start path) tells it apart without loading the tool loop.
import { RunError } from "./run_error.ts";

/** The reference's words for a run stopped by a second critical loop (the run's last message). */
export const TOOL_LOOP_STOPPED_TEXT = "OpenClaw stopped this run because tool-loop recovery encountered another " +
  "critical loop. No blocked tool action was executed.";

/**
 * A run the tool-loop guard stopped: a second critical loop in the run. The run ends with the reference's
 * words; the caller names the model in the error it reports.
 */
export class ToolLoopStopped extends RunError {
  constructor() {
    super("model_failed", TOOL_LOOP_STOPPED_TEXT);
  }
}
