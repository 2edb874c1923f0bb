// Tool-call loop detection (`tools.loopDetection`), as the reference's detectors judge a run: the calls of
// the run so far, each with a digest of its arguments and of its outcome, tell whether the call about to
// run repeats one that makes no progress (the same call and result over and over, a stuck poll, two calls
// in ping-pong, arguments churned around one stable outcome, a tool that does not exist). The thresholds
// and words are the reference's; the digests only need to be equal for equal calls, so they are ours.
import { hashToolCall, hashToolOutcome, isKnownPollCall, type LoopOutcome } from "./tool_loop_outcome.ts";

/** The reference's numbers: when a repeat warns, blocks, trips the breaker; how many calls are kept. */
export const LOOP_LIMITS = {
  warning: 10,
  critical: 20,
  circuitBreaker: 30,
  history: 30,
  /** A warning is told once per this many repeats of the same pattern. */
  warningBucket: 10,
  /** Argument churn counts only variants seen at least this often. */
  stableVariant: 3,
} as const;

/** What a recorded outcome was, when it matters to a detector. */
export type LoopOutcomeKind = "terminal-exec-failure" | "tool-loop-veto";

/** One call of the run, as the detectors see it. */
export interface LoopCallRecord {
  toolName: string;
  argsHash: string;
  toolCallId?: string | undefined;
  resultHash?: string | undefined;
  outcomeKind?: LoopOutcomeKind | undefined;
  /** An exec failure's output with times, pids and attempt numbers masked. */
  failureIdentityHash?: string | undefined;
  /** The outcome says nothing changed (an error, a write of the same bytes). */
  noProgress?: boolean | undefined;
  /** The tool the call failed to find, lower-cased. */
  unknownToolName?: string | undefined;
}

/** The detector that judged a call, as the reference names it in its logs. */
export type LoopDetector =
  | "generic_repeat"
  | "known_poll_no_progress"
  | "ping_pong"
  | "argument_churn"
  | "unknown_tool_repeat"
  | "global_circuit_breaker";

/** A call found stuck: its level, the detector, the repeat count, the reference's words and log line. */
export interface LoopFinding {
  level: "warning" | "critical";
  detector: LoopDetector;
  count: number;
  message: string;
  /** Warnings of one key are told once per bucket of repeats. */
  warningKey: string;
  /** What the detector itself logs (the reference's `agents/loop-detection` line), at `level`; none for a missing tool. */
  logLine?: string | undefined;
  pairedToolName?: string | undefined;
}

/** The history cut to its last {@link LOOP_LIMITS.history} calls, in place. */
function kept(history: LoopCallRecord[]): LoopCallRecord[] {
  if (history.length > LOOP_LIMITS.history) history.splice(0, history.length - LOOP_LIMITS.history);
  return history;
}

/** Records a call about to run (its outcome comes later, {@link recordLoopOutcome}). */
export function recordLoopCall(history: LoopCallRecord[], toolName: string, args: unknown, toolCallId?: string): void {
  history.push({ toolName, argsHash: hashToolCall(toolName, args), toolCallId });
  kept(history);
}

/** Records how a call ended, on its own record when it is still in the history. */
export function recordLoopOutcome(
  history: LoopCallRecord[],
  call: { toolName: string; args: unknown; toolCallId?: string | undefined },
  outcome: LoopOutcome,
): LoopCallRecord | undefined {
  const hashed = hashToolOutcome(call.toolName, call.args, outcome);
  if (!hashed.resultHash && !hashed.outcomeKind) return undefined;
  const argsHash = hashToolCall(call.toolName, call.args);
  const own = history.findLast((record) =>
    (!call.toolCallId || record.toolCallId === call.toolCallId) && record.toolName === call.toolName &&
    record.argsHash === argsHash && record.resultHash === undefined && record.outcomeKind === undefined
  );
  const fields: Omit<LoopCallRecord, "toolName" | "argsHash"> = {
    outcomeKind: hashed.outcomeKind,
    resultHash: hashed.resultHash,
    failureIdentityHash: hashed.failureIdentityHash,
    unknownToolName: hashed.unknownToolName,
    ...(hashed.noProgress ? { noProgress: true } : {}),
  };
  if (own) {
    delete own.noProgress;
    Object.assign(own, fields);
    return own;
  }
  const record: LoopCallRecord = { toolName: call.toolName, argsHash, toolCallId: call.toolCallId, ...fields };
  history.push(record);
  kept(history);
  return record;
}

/** Identical no-progress outcomes of this call in a row (loop vetoes count as repeats), and the latest result. */
function noProgressStreak(
  history: readonly LoopCallRecord[],
  toolName: string,
  argsHash: string,
  terminalExecOnly: boolean,
): { count: number; latestResultHash?: string | undefined } {
  let streak = 0;
  let latest: LoopCallRecord | undefined;
  let crossed = false;
  let vetoes = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    const record = history[i]!;
    if (record.toolName !== toolName) {
      if (terminalExecOnly) break;
      continue;
    }
    if (!terminalExecOnly && record.argsHash !== argsHash) continue;
    if (record.outcomeKind === "tool-loop-veto") {
      vetoes++;
      continue;
    }
    if (!record.resultHash) continue;
    if (terminalExecOnly && record.outcomeKind !== "terminal-exec-failure") break;
    if (!latest) {
      latest = record;
      crossed = record.argsHash !== argsHash;
      streak = vetoes + 1;
      vetoes = 0;
      continue;
    }
    if (terminalExecOnly) {
      // Failing exec commands that vary count as one streak, but not once the same command comes round again.
      if (crossed && record.argsHash === argsHash) break;
      if (record.argsHash !== argsHash) crossed = true;
    }
    const sameFailure = terminalExecOnly && record.failureIdentityHash !== undefined &&
      record.failureIdentityHash === latest.failureIdentityHash;
    if (record.resultHash !== latest.resultHash && !sameFailure) break;
    streak += vetoes + 1;
    vetoes = 0;
  }
  return { count: latest ? streak : terminalExecOnly ? 0 : vetoes, latestResultHash: latest?.resultHash };
}

/** The no-progress streak of this call; for exec, also failing commands in a row that fail the same way. */
export function getNoProgressStreak(
  history: readonly LoopCallRecord[],
  toolName: string,
  argsHash: string,
): { count: number; latestResultHash?: string | undefined } {
  const repeated = noProgressStreak(history, toolName, argsHash, false);
  if (toolName !== "exec") return repeated;
  const failures = noProgressStreak(history, toolName, argsHash, true);
  return failures.count > repeated.count ? failures : repeated;
}

/**
 * Calls of one tool in a row cycling through argument variants that each gave one stable no-progress
 * outcome, the same for all: the count and the number of variants, or zeros.
 */
export function getArgumentChurn(
  history: readonly LoopCallRecord[],
  toolName: string,
  argsHash: string,
): { count: number; variantCount: number } {
  const outcomes = new Map<string, { resultHash: string; count: number }>();
  for (let i = history.length - 1; i >= 0; i--) {
    const record = history[i]!;
    if (record.toolName !== toolName) break;
    if (!record.resultHash) continue;
    if (record.noProgress !== true) break;
    const previous = outcomes.get(record.argsHash);
    if (previous && previous.resultHash !== record.resultHash) break;
    outcomes.set(record.argsHash, { resultHash: record.resultHash, count: (previous?.count ?? 0) + 1 });
  }
  const all = [...outcomes.values()];
  const count = all.reduce((sum, o) => sum + o.count, 0);
  const stable = all.filter((o) => o.count >= LOOP_LIMITS.stableVariant);
  const oneOutcome = new Set(stable.map((o) => o.resultHash)).size === 1;
  const onlyStable = stable.reduce((sum, o) => sum + o.count, 0) === count;
  const current = outcomes.get(argsHash)?.count ?? 0;
  return stable.length > 1 && onlyStable && oneOutcome && current >= LOOP_LIMITS.stableVariant
    ? { count, variantCount: stable.length }
    : { count: 0, variantCount: 0 };
}

/** The same missing tool called in a row: how often, and its name. */
function unknownToolStreak(history: readonly LoopCallRecord[], toolName: string): { count: number; name?: string } {
  let count = 0;
  let name: string | undefined;
  for (let i = history.length - 1; i >= 0; i--) {
    const record = history[i]!;
    if (record.toolName !== toolName || !record.unknownToolName) break;
    if (name && record.unknownToolName !== name) break;
    name = record.unknownToolName;
    count++;
  }
  return { count, name };
}

/** Two call patterns alternating at the end of the history, with `current` next in the alternation. */
export function getPingPong(
  history: readonly LoopCallRecord[],
  current: string,
): { count: number; pairedToolName?: string; pairedSignature?: string; noProgressEvidence: boolean } {
  const none = { count: 0, noProgressEvidence: false };
  const last = history.at(-1);
  if (!last) return none;
  const other = history.slice(0, -1).findLast((call) => call.argsHash !== last.argsHash);
  if (!other) return none;
  let tail = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    if (history[i]!.argsHash !== (tail % 2 === 0 ? last.argsHash : other.argsHash)) break;
    tail++;
  }
  if (tail < 2 || current !== other.argsHash) return none;
  // Evidence that neither side progresses: each side always had one and the same result.
  const firsts = new Map<string, string>();
  let noProgressEvidence = true;
  for (const call of history.slice(history.length - tail)) {
    if (!call.resultHash) {
      noProgressEvidence = false;
      break;
    }
    const first = firsts.get(call.argsHash);
    if (first === undefined) firsts.set(call.argsHash, call.resultHash);
    else if (first !== call.resultHash) {
      noProgressEvidence = false;
      break;
    }
  }
  if (firsts.size < 2) noProgressEvidence = false;
  return { count: tail + 1, pairedToolName: last.toolName, pairedSignature: last.argsHash, noProgressEvidence };
}

/**
 * Whether the call about to run is stuck, judged on the run's history before it, in the reference's order:
 * unknown tool, circuit breaker, stuck poll, ping-pong, generic repeat (critical), argument churn, generic
 * repeat (warning). Undefined: not stuck.
 */
export function detectToolLoop(
  history: readonly LoopCallRecord[],
  toolName: string,
  args: unknown,
): LoopFinding | undefined {
  const { warning, critical, circuitBreaker } = LOOP_LIMITS;
  const current = hashToolCall(toolName, args);
  const unknown = unknownToolStreak(history, toolName);
  const noProgress = getNoProgressStreak(history, toolName, current);
  const streak = noProgress.count;
  const churn = getArgumentChurn(history, toolName, current);
  const poll = isKnownPollCall(toolName, args);
  const pingPong = getPingPong(history, current);
  const latest = noProgress.latestResultHash ?? "none";
  if (unknown.count >= warning) {
    const name = unknown.name ?? toolName;
    return {
      level: "critical",
      detector: "unknown_tool_repeat",
      count: unknown.count,
      message: `CRITICAL: attempted unavailable tool ${name} ${unknown.count} times. Stop retrying that missing tool ` +
        "and answer without it.",
      warningKey: `unknown-tool:${toolName}:${unknown.name ?? "unknown"}`,
    };
  }
  if (streak >= circuitBreaker) {
    return {
      level: "critical",
      detector: "global_circuit_breaker",
      count: streak,
      message: `CRITICAL: ${toolName} repeated identical no-progress outcomes ${streak} times. Session execution ` +
        "blocked by global circuit breaker to prevent runaway loops.",
      warningKey: `global:${toolName}:${current}:${latest}`,
      logLine: `Global circuit breaker triggered: ${toolName} repeated ${streak} times with no progress`,
    };
  }
  if (poll && streak >= critical) {
    return {
      level: "critical",
      detector: "known_poll_no_progress",
      count: streak,
      message: `CRITICAL: Called ${toolName} with identical arguments and no progress ${streak} times. This appears ` +
        "to be a stuck polling loop. Session execution blocked to prevent resource waste.",
      warningKey: `poll:${toolName}:${current}:${latest}`,
      logLine: `Critical polling loop detected: ${toolName} repeated ${streak} times`,
    };
  }
  if (poll && streak >= warning) {
    return {
      level: "warning",
      detector: "known_poll_no_progress",
      count: streak,
      message: `WARNING: You have called ${toolName} ${streak} times with identical arguments and no progress. ` +
        "Stop polling and either (1) increase wait time between checks, or (2) report the task as failed if the " +
        "process is stuck.",
      warningKey: `poll:${toolName}:${current}:${latest}`,
      logLine: `Polling loop warning: ${toolName} repeated ${streak} times`,
    };
  }
  const pingPongKey = pingPong.pairedSignature
    ? `pingpong:${[current, pingPong.pairedSignature].sort().join("|")}`
    : `pingpong:${toolName}:${current}`;
  if (pingPong.count >= critical && pingPong.noProgressEvidence) {
    return {
      level: "critical",
      detector: "ping_pong",
      count: pingPong.count,
      message: `CRITICAL: You are alternating between repeated tool-call patterns (${pingPong.count} consecutive ` +
        "calls) with no progress. This appears to be a stuck ping-pong loop. Session execution blocked to prevent " +
        "resource waste.",
      warningKey: pingPongKey,
      pairedToolName: pingPong.pairedToolName,
      logLine: `Critical ping-pong loop detected: alternating calls count=${pingPong.count} currentTool=${toolName}`,
    };
  }
  if (pingPong.count >= warning) {
    return {
      level: "warning",
      detector: "ping_pong",
      count: pingPong.count,
      message: `WARNING: You are alternating between repeated tool-call patterns (${pingPong.count} consecutive ` +
        "calls). This looks like a ping-pong loop; stop retrying and report the task as failed.",
      warningKey: pingPongKey,
      pairedToolName: pingPong.pairedToolName,
      logLine: `Ping-pong loop warning: alternating calls count=${pingPong.count} currentTool=${toolName}`,
    };
  }
  if (!poll && streak >= critical) {
    return {
      level: "critical",
      detector: "generic_repeat",
      count: streak,
      message: `CRITICAL: Called ${toolName} with identical outcomes ${streak} times. Session execution blocked to ` +
        "prevent runaway loops.",
      warningKey: `generic:${toolName}:${current}:${latest}`,
      logLine: `Critical generic loop detected: ${toolName} repeated ${streak} times`,
    };
  }
  if (churn.count >= warning) {
    return {
      level: "warning",
      detector: "argument_churn",
      count: churn.count,
      message: `WARNING: ${toolName} has cycled through ${churn.variantCount} repeated argument patterns with the ` +
        `same stable outcome ${churn.count} times. Continued churn is treated as stalled run activity, but this ` +
        "tool call remains allowed.",
      warningKey: `argument-churn:${toolName}`,
      logLine: `Argument churn warning: ${toolName} cycled through stable argument patterns`,
    };
  }
  const repeats = history.filter((call) => call.toolName === toolName && call.argsHash === current).length;
  if (!poll && repeats >= warning) {
    return {
      level: "warning",
      detector: "generic_repeat",
      count: repeats,
      message: `WARNING: You have called ${toolName} ${repeats} times with identical arguments. If this is not ` +
        "making progress, stop retrying and report the task as failed.",
      warningKey: `generic:${toolName}:${current}`,
      logLine: `Loop warning: ${toolName} called ${repeats} times with identical arguments`,
    };
  }
  return undefined;
}

/**
 * Whether a warning is told now: once per {@link LOOP_LIMITS.warningBucket} repeats of its key (the 10th,
 * the 20th...). `told` keeps the last bucket told per key, for the run.
 */
export function shouldTellWarning(told: Map<string, number>, warningKey: string, count: number): boolean {
  const bucket = Math.floor(count / LOOP_LIMITS.warningBucket);
  if (bucket <= (told.get(warningKey) ?? 0)) return false;
  told.set(warningKey, bucket);
  return true;
}

/** The note the model reads after a warned call's result (the warning's own words go to the log). */
export function loopWarningNote(count: number): string {
  return `[System note: Tool-loop warning after ${count} repeated calls. Change your approach or stop if you are not ` +
    "making progress.]";
}

/** What the model reads for a blocked call: `first` the trigger or another call of its step; `terminal` the run stops. */
export function loopBlockedText(reason: string, input: { trigger: boolean; terminal: boolean }): string {
  if (input.terminal) {
    return input.trigger
      ? `${reason}\n\nCritical tool-loop recovery failed because another critical loop was detected. This run is ` +
        "stopping now."
      : "This tool was not executed because another call in the batch repeated a critical tool loop. This run is " +
        "stopping now.";
  }
  return input.trigger
    ? `${reason}\n\nDo not repeat this exact tool action. Reassess the task. You may answer the user, ask for ` +
      "clarification, or continue with a different tool or different arguments."
    : "This tool was not executed because another call in the batch triggered critical tool-loop recovery. " +
      "Reassess the task before choosing the next action.";
}
