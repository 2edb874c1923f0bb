import type { RunError } from "./run_error.ts";
import type { ToolResult } from "./tool.ts";
import type { RunningToolCall } from "./tool_loop.ts";

/** The events one run streams (`agent` and `chat`), each stamped with the run's ids. */
export interface RunEvents {
  /** The run began (before anything can fail). */
  started(startedAt: number): void;
  /** The model is about to be asked. */
  modelCalled(provider: string, model: string): void;
  /** A piece of the answer arrived; `text` is the answer so far. */
  delta(text: string, delta: string): void;
  /** A tool call is about to run. */
  toolStarted(call: RunningToolCall): void;
  /** A running tool streamed partial output. */
  toolUpdated(call: RunningToolCall, partial: ToolResult): void;
  /** A tool call ended with the result the model gets. */
  toolEnded(call: RunningToolCall, result: ToolResult, isError: boolean): void;
  /** The answer is complete (and recorded, when the run keeps a transcript). */
  ended(end: { startedAt: number; endedAt: number; stopReason: string; outputTokens: number; text: string }): void;
  /** The run failed or was aborted; `text` is what had arrived. */
  failed(end: { startedAt: number; endedAt: number; error: RunError; text: string }): void;
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
  ids: { runId: string; sessionKey: string; agentId: string },
): RunEvents {
  const { runId, sessionKey, agentId } = ids;
  let seq = 0;
  const agentEvent = (stream: string, data: Record<string, unknown>) =>
    emit("agent", { runId, stream, data, seq: ++seq, ts: Date.now(), sessionKey, agentId });
  const chatEvent = (state: string, fields: Record<string, unknown>) =>
    emit("chat", { runId, sessionKey, agentId, seq, state, ...fields });
  return {
    started: (startedAt) => agentEvent("lifecycle", { phase: "start", startedAt }),
    modelCalled: (provider, model) => agentEvent("lifecycle", { phase: "model", provider, model }),
    delta: (text, delta) => {
      agentEvent("assistant", { text, delta });
      chatEvent("delta", { deltaText: delta, message: assistant(text) });
    },
    toolStarted: (call) =>
      agentEvent("tool", { phase: "start", name: call.name, toolCallId: call.id, args: call.args }),
    toolUpdated: (call, partial) =>
      agentEvent("tool", { phase: "update", name: call.name, toolCallId: call.id, partialResult: partial }),
    toolEnded: (call, result, isError) =>
      agentEvent("tool", { phase: "result", name: call.name, toolCallId: call.id, isError, result }),
    ended: ({ startedAt, endedAt, stopReason, outputTokens, text }) => {
      agentEvent("usage", { outputTokens });
      agentEvent("lifecycle", { phase: "end", startedAt, endedAt, aborted: false, stopReason });
      chatEvent("final", { stopReason, message: assistant(text) });
    },
    failed: ({ startedAt, endedAt, error, text }) => {
      const aborted = error.kind === "aborted";
      agentEvent("lifecycle", {
        phase: "error",
        startedAt,
        endedAt,
        error: error.message,
        aborted,
        ...(aborted ? { stopReason: "aborted" } : {}),
      });
      if (aborted) chatEvent("aborted", { stopReason: "rpc", message: assistant(text) });
      else {
        chatEvent("error", {
          errorMessage: error.message,
          errorKind: error.kind === "timeout" ? "timeout" : "unknown",
        });
      }
    },
  };
}
