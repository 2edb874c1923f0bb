// How a run offered the caller's tools ends for the caller: a clash of names is the reference's
// 400 "invalid tool configuration", and an answer that ignores `tool_choice` its 502.
import type { RunOutcome } from "../agent/runs.ts";
import { type CallerTools, unmetToolChoice } from "./caller_tools.ts";

/** A failed outcome's answer status and OpenAI error type, when it is not the run's own kind's. */
export interface ToolRunFailure {
  status: number;
  type: string;
}

/** The outcome as the caller is told it, and the status its failure carries when the tools decided it. */
export function settleToolRun(
  outcome: RunOutcome,
  tools: CallerTools,
): { outcome: RunOutcome; failure?: ToolRunFailure } {
  if (outcome.status !== "ok") {
    if (outcome.errorKind !== "client_tools") return { outcome };
    // The clash's names stay in the log (the run's error); the caller gets the reference's words.
    return {
      outcome: { ...outcome, error: "invalid tool configuration" },
      failure: { status: 400, type: "invalid_request_error" },
    };
  }
  const unmet = unmetToolChoice(tools.constraint, outcome.pendingToolCalls);
  if (!unmet) return { outcome };
  return { outcome: { ...outcome, status: "error", error: unmet }, failure: { status: 502, type: "api_error" } };
}

/**
 * The text a stream under a `tool_choice` constraint holds back and sends whole at the end: as the
 * reference's (its result text, else what the steps said), the final answer's text when the run
 * went on past a step that called the caller's tools (what the plain answer holds), else every step's.
 */
export function heldText(outcome: RunOutcome): string {
  return outcome.pendingToolCalls?.length && outcome.text ? outcome.text : outcome.shownText ?? outcome.text;
}
