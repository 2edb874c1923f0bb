import type { RunError } from "./run_error.ts";
import { type RunFailureReport, runFailureReport } from "./run_failure_report.ts";
import type { ToolResult } from "./tool.ts";
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
  /** The run began (before anything can fail). */
  started(startedAt: number): void;
  /** The model is about to be asked. */
  modelCalled(provider: string, model: string): void;
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
  /** A running tool streamed partial output. */
  toolUpdated(call: RunningToolCall, partial: ToolResult): void;
  /** A tool call ended with the result the model gets; `executed` is false for a call refused before running. */
  toolEnded(call: RunningToolCall, result: ToolResult, outcome: { isError: boolean; executed: boolean }): void;
  /** A model step that called tools reported its usage; `outputTokens` counts the run's steps so far. */
  usage(outputTokens: number): void;
  /** The answer is complete (and recorded, when the run keeps a transcript). */
  ended(end: { startedAt: number; endedAt: number; stopReason: string; outputTokens: number; text: string }): void;
  /** The run failed or was aborted; `text` is what had arrived; `report` what clients are told beyond the message. */
  failed(end: { startedAt: number; endedAt: number; error: RunError; text: string; report?: RunFailureReport }): void;
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
  ids: { runId: string; sessionKey: string; agentId: string; acceptedAt?: number | undefined },
): RunEvents {
  const { runId, sessionKey, agentId } = ids;
  let seq = 0;
  // The chat message is every step's text, joined by a blank line, as the reference shows a run.
  let earlier = "";
  let stepDeltas = 0;
  const joined = (text: string) => earlier && text ? `${earlier}\n\n${text}` : earlier || text;
  const tools = new Map<string, { display: ToolCallDisplay; startedAt: number }>();
  const agentEvent = (stream: string, data: Record<string, unknown>) =>
    emit("agent", { runId, stream, data, seq: ++seq, ts: Date.now(), sessionKey, agentId });
  const chatEvent = (state: string, fields: Record<string, unknown>) =>
    emit("chat", { runId, sessionKey, agentId, seq, state, ...fields });
  return {
    started: (startedAt) => agentEvent("lifecycle", { phase: "start", startedAt }),
    modelCalled: (provider, model) => agentEvent("lifecycle", { phase: "model", provider, model }),
    delta: (text, delta) => {
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
      const startedAt = Date.now();
      tools.set(call.id, { display, startedAt });
      agentEvent("item", toolItemData(call, display, { phase: "start", startedAt }));
      agentEvent("tool", toolStartData(call));
    },
    toolUpdated: (call, partial) => agentEvent("tool", toolUpdateData(call, partial)),
    toolEnded: (call, result, { isError, executed }) => {
      const { display, startedAt } = tools.get(call.id) ??
        // Never in a run: every ended call was started first (blocked and aborted ones too).
        { display: { title: call.name }, startedAt: Date.now() };
      tools.delete(call.id);
      agentEvent("tool", toolResultData(call, result, isError, display.meta));
      // A call the loop guard blocked shows the finding, not the advice the model got with it.
      const loop = result.details?.intervention as { reason?: unknown } | undefined;
      const error = typeof loop?.reason === "string" ? loop.reason : isError ? toolErrorMessage(result) : undefined;
      const status = !executed ? "blocked" : isError ? "failed" : "completed";
      agentEvent(
        "item",
        toolItemData(call, display, { phase: "end", startedAt, endedAt: Date.now(), status, error }),
      );
    },
    thinking: (text, delta) => agentEvent("thinking", { text, delta }),
    compaction: (data) => agentEvent("compaction", data),
    ended: ({ startedAt, endedAt, stopReason, outputTokens, text }) => {
      agentEvent("usage", { outputTokens });
      agentEvent("lifecycle", { phase: "end", startedAt, endedAt, aborted: false, stopReason });
      chatEvent("final", { stopReason, message: assistant(joined(text)) });
    },
    failed: ({ startedAt, endedAt, error, text, report = runFailureReport(error, undefined) }) => {
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
      agentEvent("lifecycle", {
        phase: "error",
        startedAt,
        endedAt,
        error: error.message,
        aborted,
        ...(aborted ? { stopReason: "aborted", executionSettled: true } : {}),
      });
      if (!aborted) {
        chatEvent("error", {
          errorMessage: error.message,
          ...(report.errorKind ? { errorKind: report.errorKind } : {}),
          ...(report.errorDetail ? { errorDetail: report.errorDetail } : {}),
        });
      }
    },
  };
}
