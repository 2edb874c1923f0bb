// A `/v1/responses` answer that hands calls of the caller's tools back, in the reference's shapes:
// the assistant's text as a `commentary` message, then one `function_call` item per call (its own
// `call_…` item id, the model's call id as `call_id`); streamed, each call is added and done.
import type { PendingToolCall } from "../agent/client_tools.ts";
import type { RunOutcome } from "../agent/runs.ts";

/** A `function_call` output item. */
export interface FunctionCallItem {
  type: "function_call";
  id: string;
  "call_id": string;
  name: string;
  arguments: string;
  status?: "completed";
}

/** The output items of the calls, each with a fresh item id. */
export function functionCallItems(calls: readonly PendingToolCall[]): FunctionCallItem[] {
  return calls.map((call) => ({
    type: "function_call",
    id: `call_${crypto.randomUUID()}`,
    "call_id": call.id,
    name: call.name,
    arguments: call.arguments,
  }));
}

/** A plain answer's output: the final text as commentary when there is any (the reference omits an empty one), then the calls. */
export function handedBackOutput(
  outcome: RunOutcome,
  message: (text: string, status: string) => Record<string, unknown>,
): unknown[] {
  const calls = functionCallItems(outcome.pendingToolCalls ?? []);
  return [...(outcome.text ? [{ ...message(outcome.text, "completed"), phase: "commentary" }] : []), ...calls];
}

/**
 * The stream's close of an answer that hands calls back, after the message item is done (as
 * commentary): each call added then done, and the completed response holding them all.
 */
export function streamCalls(
  event: (type: string, data: Record<string, unknown>) => void,
  calls: readonly PendingToolCall[],
  firstIndex: number,
): FunctionCallItem[] {
  const items = functionCallItems(calls);
  for (const [i, item] of items.entries()) {
    event("response.output_item.added", { "output_index": firstIndex + i, item });
    event("response.output_item.done", { "output_index": firstIndex + i, item: { ...item, status: "completed" } });
  }
  return items.map((item) => ({ ...item, status: "completed" }));
}
