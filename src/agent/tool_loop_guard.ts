// One run's tool-loop guard (`tools.loopDetection` on): the calls so far, the warnings told, whether a
// critical loop was already blocked once. A step's calls are admitted together, as the reference admits an
// assistant batch: a critical finding blocks every call of the step (the run stops at the second one), a
// warning is told after its call's result. The detectors are in tool_loop_detection.ts.
import { getLogger } from "../log/logger.ts";
import {
  detectToolLoop,
  loopBlockedText,
  type LoopCallRecord,
  type LoopFinding,
  loopWarningNote,
  recordLoopCall,
  recordLoopOutcome,
  shouldTellWarning,
} from "./tool_loop_detection.ts";
import { hashToolCall, type LoopOutcome } from "./tool_loop_outcome.ts";
import type { ToolResult } from "./tool.ts";

/** One run's loop-detection state. */
export interface LoopGuard {
  history: LoopCallRecord[];
  /** The last warning bucket told, per warning key. */
  told: Map<string, number>;
  /** A critical loop was blocked in this run: the next one stops it. */
  criticalSeen: boolean;
}

/** A call of a step as admission sees it. */
export interface LoopCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
}

/** A step blocked by a critical finding: the call that triggered it, and whether the run stops. */
export interface LoopIntervention {
  toolCallId: string;
  toolName: string;
  detector: LoopFinding["detector"];
  count: number;
  reason: string;
  terminal: boolean;
}

/** A fresh guard for a run. */
export function newLoopGuard(): LoopGuard {
  return { history: [], told: new Map(), criticalSeen: false };
}

function logFinding(finding: LoopFinding): void {
  if (!finding.logLine) return;
  const log = getLogger("agents/loop-detection");
  if (finding.level === "critical") log.error(finding.logLine);
  else log.warn(finding.logLine);
}

/**
 * Admits a step's calls (those with a tool and valid arguments), each judged as if the ones before it in
 * the step had run: a critical finding blocks the step (its repeats are recorded as vetoed); otherwise the
 * calls warned now, by id, with the count their note names.
 */
export function admitLoopStep(
  guard: LoopGuard,
  calls: readonly LoopCall[],
): { intervention: LoopIntervention } | { warnings: Map<string, number> } {
  const projected = [...guard.history];
  const warnings = new Map<string, number>();
  const tools = getLogger("agents/tools");
  for (const call of calls) {
    const finding = detectToolLoop(projected, call.name, call.args);
    if (finding) logFinding(finding);
    if (finding?.level === "critical") {
      tools.error(`Blocking ${call.name} due to critical loop: ${finding.message}`);
      const key = hashToolCall(call.name, call.args);
      for (const vetoed of calls) {
        if (hashToolCall(vetoed.name, vetoed.args) !== key) continue;
        recordLoopCall(guard.history, vetoed.name, vetoed.args, vetoed.id);
        guard.history.at(-1)!.outcomeKind = "tool-loop-veto";
      }
      const terminal = guard.criticalSeen;
      guard.criticalSeen = true;
      return {
        intervention: {
          toolCallId: call.id,
          toolName: call.name,
          detector: finding.detector,
          count: finding.count,
          reason: finding.message,
          terminal,
        },
      };
    }
    if (finding && shouldTellWarning(guard.told, finding.warningKey, finding.count)) {
      tools.warn(`Loop warning for ${call.name}: ${finding.message}`);
      warnings.set(call.id, finding.count);
    }
    // The calls before it in the step count as repeats of theirs while the step is judged.
    projected.push({ toolName: call.name, argsHash: hashToolCall(call.name, call.args), toolCallId: call.id });
    projected.at(-1)!.outcomeKind = "tool-loop-veto";
  }
  return { warnings };
}

/** The result a call of a blocked step gets (an error the model reads; the tool never ran). */
export function loopBlockedResult(intervention: LoopIntervention, toolCallId: string): ToolResult {
  const { terminal, ...about } = intervention;
  const text = loopBlockedText(intervention.reason, { trigger: toolCallId === intervention.toolCallId, terminal });
  return {
    content: [{ type: "text", text }],
    details: { status: "blocked", deniedReason: "tool-loop", intervention: { kind: "critical-tool-loop", ...about } },
    isError: true,
  };
}

/** Records a call as it starts running. */
export function loopCallStarted(guard: LoopGuard, call: LoopCall): void {
  recordLoopCall(guard.history, call.name, call.args, call.id);
}

/** Records how a call ended. */
export function loopCallEnded(guard: LoopGuard, call: LoopCall, outcome: LoopOutcome): void {
  recordLoopOutcome(guard.history, { toolName: call.name, args: call.args, toolCallId: call.id }, outcome);
}

/** The result with the warning note after it, as the model reads a warned call's result. */
export function withLoopWarning(result: ToolResult, count: number): ToolResult {
  return { ...result, content: [...result.content, { type: "text", text: loopWarningNote(count) }] };
}
