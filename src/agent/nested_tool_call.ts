// A tool call made inside another (Tool Search's `tool_call` running the tool it names), as the reference's Tool
// Search executor runs it: under an id of its own (`tool_search_code:<parent>:<tool>:<n>`), with its own `item` and
// `tool` events (the `tool` ones naming the parent), and kept in the transcript as an `openclaw.nested-tool.v1`
// entry clients show as a card under the parent's and the model never sees (recorded:
// tests/fixtures/tool_search/reference_ui.json).
import type { NestedToolActivity, TranscriptMessage } from "../sessions/transcript.ts";
import type { RunEvents } from "./run_events.ts";
import type { ToolResult } from "./tool.ts";
import type { ToolCallDisplay } from "./tool_events.ts";
import type { NestedCall, NestedRun, RunningToolCall } from "./tool_loop.ts";

/** What a run lends its nested calls. */
export interface NestedCallDeps {
  runId: string;
  events: RunEvents;
  /** How clients name a call (its title and detail), as for any call of the run. */
  display(call: RunningToolCall): ToolCallDisplay;
  /** The transcript entry the next one is chained to: the parent call's step, already written. */
  afterEntryId(): string | null;
  /** Queues the nested call's entry with the step's results (ahead of its parent's result). */
  record(message: TranscriptMessage): void;
}

/** The run's `nestedCall` hook: one scope per run, its calls numbered from 0 as the reference's executor numbers them. */
export function nestedToolCalls(
  deps: NestedCallDeps,
): (parent: RunningToolCall, inner: NestedCall, run: NestedRun) => Promise<ToolResult> {
  const scopeId = crypto.randomUUID();
  let startOrder = 0;
  const perParent = new Map<string, number>();
  return async (parent, inner, run) => {
    const n = (perParent.get(parent.id) ?? 0) + 1;
    perParent.set(parent.id, n);
    const call: RunningToolCall = {
      id: `tool_search_code:${parent.id}:${inner.name}:${n}`,
      name: inner.name,
      args: inner.args,
      parentToolCallId: parent.id,
    };
    const order = startOrder++;
    const afterEntryId = deps.afterEntryId();
    const startedAt = Date.now();
    deps.events.toolStarted(call, deps.display(call));
    let result: ToolResult;
    let thrown: unknown;
    try {
      result = await run(call.id, (partial) => deps.events.toolUpdated(call, partial));
    } catch (caught) {
      // The parent reports the failure as before; the nested card shows it failed.
      thrown = caught;
      const text = caught instanceof Error ? caught.message : String(caught);
      result = { content: [{ type: "text", text }], isError: true };
    }
    const isError = result.isError === true;
    deps.events.toolEnded(call, result, { isError, executed: true });
    const nested: NestedToolActivity = {
      runId: deps.runId,
      scopeId,
      afterEntryId,
      startOrder: order,
      parentToolCallId: parent.id,
      toolCallId: call.id,
      toolName: call.name,
      input: call.args,
      result: { content: result.content, ...(result.details !== undefined ? { details: result.details } : {}) },
      isError,
      startedAt,
      timestamp: Date.now(),
    };
    deps.record({
      role: "custom",
      content: [],
      timestamp: startedAt,
      nested,
      runId: deps.runId,
      idempotencyKey: `${scopeId}:${call.id}`,
    });
    if (thrown !== undefined) throw thrown;
    return result;
  };
}
