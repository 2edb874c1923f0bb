import {
  commandOutputDelta,
  commandOutputEnd,
  isShellTool,
  LIVE_EXEC_UPDATE_MIN_INTERVAL_MS,
} from "./command_output_events.ts";
import type { RunError } from "./run_error.ts";
import { failureCopy, replyFailureText } from "./failure_copy.ts";
import type { ModelAttempt } from "./run_failover.ts";
import { type ChatErrorDetail, type RunFailureReport, runFailureReport } from "./run_failure_report.ts";
import type { ToolResult } from "./tool.ts";
import type { RetryingStatus } from "./transient_retry.ts";
import {
  type ToolCallDisplay,
  toolErrorMessage,
  toolItemData,
  toolResultData,
  toolStartData,
  toolUpdateData,
} from "./tool_events.ts";
import type { RunningToolCall } from "./tool_loop.ts";

/** The events one run streams (`agent` and `chat`), each stamped with the run's ids. */
export interface RunEvents {
  /**
   * The run began (before anything can fail). A `chat.send` run first says it is preparing its workspace and
   * context (the reference's start-up statuses, sent before its lifecycle start).
   */
  started(startedAt: number): void;
  /** The model is about to be asked; until the run shows output, a `chat.send` run first says it is starting it. */
  modelCalled(provider: string, model: string): void;
  /**
   * A model call failed and will be made again after a wait: the attempt's end (lifecycle `finishing` with the
   * error and how the reference classes it), then the retry's status: a chat `status` (phase `starting_model`,
   * with the attempt numbers for a rate limit) and the `run_status` `retrying` event with `status`.
   */
  retrying(failure: { error: string; errorObservation?: ChatErrorDetail | undefined; status: RetryingStatus }): void;
  /**
   * The wait is over and the next attempt starts, as the reference's: a fresh empty answer item, the context
   * status (a `chat.send` run, whose start-up statuses show again), then the lifecycle `start`.
   */
  retryStarted(startedAt: number): void;
  /**
   * A model call failed and is not made again: the attempt's end (lifecycle `finishing` with the error), the model
   * let go (lifecycle `model` with no model), then the reference's `fallback_step` when the failure is one it
   * classes (`step`); with a `next` model, a fresh attempt starts as after a retry, the start-up statuses included.
   */
  callFailed(failure: {
    error: string;
    errorObservation?: ChatErrorDetail | undefined;
    step?: FallbackStep | undefined;
    next?: { startedAt: number } | undefined;
  }): void;
  /** A fallback model answered after `step.from` failed: its `fallback_step` (`succeeded`) goes out at the run's end. */
  recovered(step: FallbackStep): void;
  /**
   * After the run's end, a session that moved onto (or back off) a fallback model: the lifecycle `fallback` (or
   * `fallback_cleared`) event and, for a chat that shows it, the notice as a chat `final` of its own, numbered
   * after the event as the reference's runner numbers them once the run's own events are done.
   */
  fallbackNotice(event: Record<string, unknown>, notice: string | undefined): void;
  /**
   * A piece of the answer arrived; `text` is this model step's text so far. Returns the piece as
   * the chat shows it: a later step's first piece starts with the blank line between steps.
   */
  delta(text: string, delta: string): string;
  /** A piece of the model's thinking arrived; `text` is the thinking so far (the reference's `thinking` stream). */
  thinking(text: string, delta: string): void;
  /** A compaction started or ended during the run (the reference's `compaction` stream). */
  compaction(data: Record<string, unknown>): void;
  /** A model step that called tools ended: its text stays in the chat message, the next step's follows it. */
  stepEnded(text: string): void;
  /**
   * A tool call is about to run, with how clients name it (tool_display.ts: its title and one-line detail, made by
   * the caller so this module, loaded at start, does not load the display tables).
   */
  toolStarted(call: RunningToolCall, display: ToolCallDisplay): void;
  /**
   * A running tool streamed partial output: its `tool` update and its item's; a shell call's also as
   * `command_output`, at most one per 250 ms (the reference drops the ones between).
   */
  toolUpdated(call: RunningToolCall, partial: ToolResult): void;
  /** A tool call ended with the result the model gets; `executed` is false for a call refused before running. */
  toolEnded(call: RunningToolCall, result: ToolResult, outcome: { isError: boolean; executed: boolean }): void;
  /** A model step that called tools reported its usage; `outputTokens` counts the run's steps so far. */
  usage(outputTokens: number): void;
  /** The answer is complete (and recorded, when the run keeps a transcript). */
  ended(end: { startedAt: number; endedAt: number; stopReason: string; outputTokens: number; text: string }): void;
  /**
   * The run failed or was aborted; `text` is what had arrived; `report` what clients are told beyond the message;
   * `attempts` the model calls made, whose failures a `chat.send` run's reply sums up (its second chat `error`).
   */
  failed(end: {
    startedAt: number;
    endedAt: number;
    error: RunError;
    text: string;
    report?: RunFailureReport;
    attempts?: readonly ModelAttempt[];
  }): void;
}

/** A `fallback_step` lifecycle event's facts: which model failed, why, and where the chain went. */
export interface FallbackStep {
  from: string;
  to?: string | undefined;
  reason?: string | undefined;
  detail?: string | undefined;
  position: number;
  outcome: "next_fallback" | "chain_exhausted" | "succeeded";
}

function fallbackStepData(step: FallbackStep): Record<string, unknown> {
  return {
    phase: "fallback_step",
    fallbackStepType: "fallback_step",
    fallbackStepFromModel: step.from,
    ...(step.to ? { fallbackStepToModel: step.to } : {}),
    ...(step.reason ? { fallbackStepFromFailureReason: step.reason } : {}),
    ...(step.detail ? { fallbackStepFromFailureDetail: step.detail } : {}),
    fallbackStepChainPosition: step.position,
    fallbackStepFinalOutcome: step.outcome,
  };
}

/** The assistant message as `chat` events carry it. */
function assistant(text: string) {
  return { role: "assistant", content: [{ type: "text", text }], timestamp: Date.now() };
}

/**
 * The event stream of one run: `agent` events numbered by a per-run `seq`, `chat` events carrying
 * the latest one, in the reference's shapes. Pass an `emit` that drops everything for a run
 * whose stream belongs to its HTTP caller alone.
 */
export function runEvents(
  emit: (event: "agent" | "chat", payload: Record<string, unknown>) => void,
  ids: { runId: string; sessionKey: string; agentId: string; acceptedAt?: number | undefined; chatSend?: boolean },
): RunEvents {
  const { runId, sessionKey, agentId } = ids;
  let seq = 0;
  // The chat message is every step's text, joined by a blank line, as the reference shows a run.
  let earlier = "";
  let stepDeltas = 0;
  const joined = (text: string) => earlier && text ? `${earlier}\n\n${text}` : earlier || text;
  const tools = new Map<string, { display: ToolCallDisplay; startedAt: number; updatedAt?: number }>();
  // Start-up statuses are a `chat.send` run's (the reference's agent runner sends them; its `agent` method does
  // not), and only until the run shows output or a tool call.
  let starting = ids.chatSend === true;
  // A model attempt is open from its first model call until its `finishing`; the model is held until the
  // lifecycle `model` event that lets it go (the reference's pair at every attempt's end).
  let attemptOpen = false;
  let modelHeld = false;
  // The fallback that answered, told at the run's end after its `finishing`.
  let succeededStep: FallbackStep | undefined;
  const agentEvent = (stream: string, data: Record<string, unknown>, lane?: string) =>
    emit("agent", {
      runId,
      stream,
      data,
      seq: ++seq,
      ts: Date.now(),
      sessionKey,
      agentId,
      ...(lane ? { lane } : {}),
    });
  const finishing = (end: Record<string, unknown>) => {
    attemptOpen = false;
    agentEvent("lifecycle", { phase: "finishing", ...end, endedAt: Date.now() });
  };
  const releaseModel = () => {
    if (!modelHeld) return;
    modelHeld = false;
    // The reference's reply runner says which queue lane the run held; its `agent` method's runs say none.
    agentEvent("lifecycle", { phase: "model", provider: null, model: null }, ids.chatSend ? "main" : undefined);
  };
  const blocked = (error: string, errorObservation: ChatErrorDetail | undefined) =>
    finishing({
      error,
      ...(errorObservation ? { errorObservation } : {}),
      aborted: false,
      livenessState: "blocked",
    });
  const freshAttempt = (startedAt: number, statuses: readonly string[]) => {
    // The reference resets the answer's item for the new attempt (an id of its own, nothing in it yet).
    agentEvent("assistant", { itemId: `${crypto.randomUUID()}:1`, text: "", delta: "", replace: true });
    starting = ids.chatSend === true;
    if (starting) { for (const phase of statuses) runStatus(phase); }
    agentEvent("lifecycle", { phase: "start", startedAt });
  };
  const chatEvent = (state: string, fields: Record<string, unknown>) =>
    emit("chat", { runId, sessionKey, agentId, seq, state, ...fields });
  // As the reference's: the chat `status` (numbered as the `run_status` event that follows it), then that event.
  const runStatus = (phase: string) => {
    emit("chat", { runId, sessionKey, agentId, seq: seq + 1, state: "status", phase });
    agentEvent("run_status", { phase });
  };
  return {
    started: (startedAt) => {
      if (starting) {
        runStatus("preparing_workspace");
        runStatus("preparing_context");
      }
      agentEvent("lifecycle", { phase: "start", startedAt });
    },
    modelCalled: (provider, model) => {
      if (starting) runStatus("starting_model");
      attemptOpen = true;
      modelHeld = true;
      agentEvent("lifecycle", { phase: "model", provider, model });
    },
    retrying: ({ error, errorObservation, status }) => {
      blocked(error, errorObservation);
      // The reference's chat shows a retry as the model starting again; a rate limit's carries its attempts.
      const retry = status.reason === "rate_limit"
        ? { retry: { attempt: status.attempt, maxAttempts: status.maxAttempts, reason: status.reason } }
        : {};
      emit("chat", { runId, sessionKey, agentId, seq: seq + 1, state: "status", phase: "starting_model", ...retry });
      agentEvent("run_status", { ...status });
    },
    retryStarted: (startedAt) => freshAttempt(startedAt, ["preparing_context"]),
    callFailed: ({ error, errorObservation, step, next }) => {
      blocked(error, errorObservation);
      releaseModel();
      if (step) agentEvent("lifecycle", fallbackStepData(step));
      if (next) freshAttempt(next.startedAt, ["preparing_workspace", "preparing_context"]);
    },
    recovered: (step) => {
      succeededStep = step;
    },
    fallbackNotice: (event, notice) => {
      // The run's own numbering is over: the reference's runner numbers these afresh, without the agent id.
      emit("agent", { runId, sessionKey, stream: "lifecycle", data: event, seq: 1, ts: Date.now() });
      if (!notice) return;
      emit("chat", {
        runId,
        sessionKey,
        seq: 2,
        state: "final",
        message: {
          role: "assistant",
          content: [{ type: "text", text: notice, openclawStatusNotice: true }],
          text: notice,
          timestamp: Date.now(),
          stopReason: "stop",
          usage: { input: 0, output: 0, totalTokens: 0 },
        },
      });
    },
    delta: (text, delta) => {
      starting = false;
      agentEvent("assistant", { text, delta });
      const deltaText = earlier && stepDeltas === 0 ? `\n\n${delta}` : delta;
      stepDeltas++;
      chatEvent("delta", { deltaText, message: assistant(joined(text)) });
      return deltaText;
    },
    usage: (outputTokens) => agentEvent("usage", { outputTokens }),
    stepEnded: (text) => {
      earlier = joined(text);
      stepDeltas = 0;
    },
    toolStarted: (call, display) => {
      starting = false;
      const startedAt = Date.now();
      tools.set(call.id, { display, startedAt });
      agentEvent("item", toolItemData(call, display, { phase: "start", startedAt }));
      agentEvent("tool", toolStartData(call));
    },
    toolUpdated: (call, partial) => {
      const running = tools.get(call.id);
      const shell = isShellTool(call.name);
      const now = Date.now();
      if (shell && running?.updatedAt !== undefined && now - running.updatedAt < LIVE_EXEC_UPDATE_MIN_INTERVAL_MS) {
        return;
      }
      if (running && shell) running.updatedAt = now;
      const data = toolUpdateData(call, partial);
      agentEvent("tool", data);
      const display = running?.display ?? { title: call.name };
      agentEvent("item", toolItemData(call, display, { phase: "update" }));
      const output = shell ? commandOutputDelta(call, display.meta, data.partialResult as object) : undefined;
      if (output) agentEvent("command_output", output);
    },
    toolEnded: (call, result, { isError, executed }) => {
      const { display, startedAt } = tools.get(call.id) ??
        // Never in a run: every ended call was started first (blocked and aborted ones too).
        { display: { title: call.name }, startedAt: Date.now() };
      tools.delete(call.id);
      const resultData = toolResultData(call, result, isError, display.meta);
      agentEvent("tool", resultData);
      // A call the loop guard blocked shows the finding, not the advice the model got with it.
      const loop = result.details?.intervention as { reason?: unknown } | undefined;
      const error = typeof loop?.reason === "string" ? loop.reason : isError ? toolErrorMessage(result) : undefined;
      const status = !executed ? "blocked" : isError ? "failed" : "completed";
      agentEvent(
        "item",
        toolItemData(call, display, { phase: "end", startedAt, endedAt: Date.now(), status, error }),
      );
      const output = isShellTool(call.name)
        ? commandOutputEnd(call, display.meta, resultData.result as object, { isError, executed })
        : undefined;
      if (output) agentEvent("command_output", output);
    },
    thinking: (text, delta) => agentEvent("thinking", { text, delta }),
    compaction: (data) => agentEvent("compaction", data),
    ended: ({ startedAt, endedAt, stopReason, outputTokens, text }) => {
      agentEvent("usage", { outputTokens });
      if (attemptOpen) finishing({ stopReason, aborted: false, livenessState: "working" });
      releaseModel();
      if (succeededStep) agentEvent("lifecycle", fallbackStepData(succeededStep));
      agentEvent("lifecycle", { phase: "end", startedAt, endedAt, aborted: false, stopReason });
      chatEvent("final", { stopReason, message: assistant(joined(text)) });
    },
    failed: ({ startedAt, endedAt, error, text, report = runFailureReport(error, undefined), attempts = [] }) => {
      const aborted = error.kind === "aborted";
      if (aborted) {
        // As the reference's stop: the chat `aborted` event (numbered as the next agent event, the partial
        // text only when there is some), then the lifecycle `end` of the cancelled run, then the run's error.
        const shown = joined(text);
        emit("chat", {
          runId,
          sessionKey,
          agentId,
          seq: seq + 1,
          state: "aborted",
          stopReason: "rpc",
          ...(shown.trim() ? { message: assistant(shown) } : {}),
        });
        agentEvent("lifecycle", {
          phase: "end",
          status: "cancelled",
          aborted: true,
          stopReason: "rpc",
          startedAt: ids.acceptedAt ?? startedAt,
          endedAt,
        });
      }
      // What the chat is told: the reference's words for a provider's refusal or a broken connection.
      const shown = aborted ? error.message : failureCopy(error, report.errorDetail);
      if (!aborted) {
        // An attempt still open failed some other way (the loop guard's stop, the deadline, the store).
        if (attemptOpen) blocked(shown, report.errorDetail);
        releaseModel();
      }
      agentEvent("lifecycle", {
        phase: "error",
        startedAt,
        endedAt,
        error: shown,
        aborted,
        ...(aborted ? { stopReason: "aborted", executionSettled: true } : {}),
      });
      if (!aborted) {
        chatEvent("error", {
          errorMessage: shown,
          ...(report.errorKind ? { errorKind: report.errorKind } : {}),
          ...(report.errorDetail ? { errorDetail: report.errorDetail } : {}),
        });
        // The reference's chat.send answers a run that failed before replying with a reply of its own, numbered
        // afresh and without the agent id, as the Control UI shows it.
        const reply = ids.chatSend ? replyFailureText(error, shown, attempts) : undefined;
        if (reply) emit("chat", { runId, sessionKey, seq: 1, state: "error", errorMessage: reply });
      }
    },
  };
}
