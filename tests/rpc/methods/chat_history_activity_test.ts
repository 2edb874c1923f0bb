import assert from "node:assert/strict";
import { historyActivity } from "../../../src/rpc/methods/chat_history_activity.ts";
import type { TranscriptMessage } from "../../../src/sessions/transcript.ts";

// The transcript of the recorded Tool Search run (tests/fixtures/tool_search/reference_ui.json): a search, a
// `tool_call` whose memory_get ran nested, the answer.
const RUN: TranscriptMessage[] = [
  { id: "m1", role: "user", content: [{ type: "text", text: "milk?" }], timestamp: 1, runId: "r" },
  {
    id: "m2",
    role: "assistant",
    content: [{ type: "toolCall", id: "u_1", name: "tool_search", arguments: { query: "memory" } }],
    timestamp: 2,
    runId: "r",
  },
  { id: "m3", role: "toolResult", toolCallId: "u_1", toolName: "tool_search", content: [], timestamp: 3, runId: "r" },
  {
    id: "m4",
    role: "assistant",
    content: [{ type: "toolCall", id: "u_2", name: "tool_call", arguments: { id: "memory_get" } }],
    timestamp: 4,
    runId: "r",
  },
  {
    id: "m5",
    role: "custom",
    content: [],
    timestamp: 5,
    runId: "r",
    nested: {
      runId: "r",
      scopeId: "s",
      afterEntryId: "m4",
      startOrder: 0,
      parentToolCallId: "u_2",
      toolCallId: "tool_search_code:u_2:memory_get:1",
      toolName: "memory_get",
      input: { path: "MEMORY.md" },
      result: { content: [], details: { status: "ok" } },
      isError: false,
      startedAt: 5,
      timestamp: 5,
    },
  },
  {
    id: "m6",
    role: "toolResult",
    toolCallId: "u_2",
    toolName: "tool_call",
    content: [],
    isError: false,
    timestamp: 6,
    runId: "r",
  },
  { id: "m7", role: "assistant", content: [{ type: "text", text: "Oat milk." }], timestamp: 7, runId: "r" },
];

const item = (toolCallId: string, name: string, title: string, meta?: string) => ({
  itemId: `tool:${toolCallId}`,
  toolCallId,
  name,
  kind: "tool",
  phase: "end",
  title,
  status: "completed",
  ...(meta ? { meta } : {}),
  commandBearing: false,
});

Deno.test("historyActivity() gives each tool-bearing message the reference's items: calls untitled, nested ones with their detail", () => {
  const ids = RUN.map((m) => m.id!);
  assert.deepEqual(historyActivity(RUN, ids), [
    { messageId: "m2", items: [item("u_1", "tool_search", "Tool Search")] },
    { messageId: "m3", items: [item("u_1", "tool_search", "Tool Search")] },
    { messageId: "m4", items: [item("u_2", "tool_call", "Tool Call")] },
    {
      messageId: "m5",
      items: [item("tool_search_code:u_2:memory_get:1", "memory_get", "Memory Get MEMORY.md", "MEMORY.md")],
    },
    { messageId: "m6", items: [item("u_2", "tool_call", "Tool Call")] },
  ]);
  // Only the page's messages, in its order.
  assert.deepEqual(historyActivity(RUN, ["m6"]).map((a) => a.messageId), ["m6"]);
});

Deno.test("historyActivity(): a call without its result is an unknown outcome; a failed one failed", () => {
  const open = historyActivity(RUN.slice(0, 2), ["m2"])[0]!.items[0]!;
  assert.equal(open.title, "Tool Search — outcome unknown");
  assert.equal(open.summary, "Outcome unknown");
  assert.equal(open.status, undefined);
  const failed = [...RUN.slice(0, 2), { ...RUN[2]!, isError: true }];
  assert.equal(historyActivity(failed, ["m3"])[0]!.items[0]!.status, "failed");
});
