// A chat completion that ends in calls of the caller's tools (`finish_reason: "tool_calls"`), in
// the reference's shapes: `message.tool_calls` plain; streamed, per call one `delta.tool_calls`
// chunk naming it (empty arguments), then its arguments in pieces of at most 256 characters.
import type { PendingToolCall } from "../agent/client_tools.ts";
import type { RunOutcome } from "../agent/runs.ts";
import type { ChunkBase } from "./chat_chunk_frame.ts";
import { safeCutIndex } from "../text/utf16_slice.ts";

/** The most characters of a call's arguments one streamed chunk carries (the reference's). */
const ARGUMENT_PIECE = 256;

/** The assistant message of a plain answer that hands calls back: the final step's text (often empty) and the calls. */
export function toolCallsMessage(outcome: RunOutcome) {
  return {
    role: "assistant",
    content: outcome.text,
    "tool_calls": (outcome.pendingToolCalls ?? []).map((call) => ({
      id: call.id,
      type: "function",
      function: { name: call.name, arguments: call.arguments },
    })),
  };
}

/** Where a piece of `text` from `start` may end near `end` without splitting a surrogate pair. */
function pieceEnd(text: string, start: number, end: number): number {
  return end >= text.length || end <= start + 1 ? end : safeCutIndex(text, end);
}

/** Sends the calls as the reference streams them, before the finish chunk. */
export function toolCallChunks(send: (data: string) => void, base: ChunkBase, calls: readonly PendingToolCall[]): void {
  const chunk = (call: Record<string, unknown>) =>
    send(JSON.stringify({ ...base, choices: [{ index: 0, delta: { "tool_calls": [call] }, "finish_reason": null }] }));
  for (const [index, call] of calls.entries()) {
    chunk({ index, id: call.id, type: "function", function: { name: call.name, arguments: "" } });
    let start = 0;
    do {
      const end = pieceEnd(call.arguments, start, Math.min(start + ARGUMENT_PIECE, call.arguments.length));
      chunk({ index, function: { arguments: call.arguments.slice(start, end) } });
      start = end;
    } while (start < call.arguments.length);
  }
}
