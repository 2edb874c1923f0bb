import assert from "node:assert/strict";
import { fromEvent, messageEvent, sessionHeaderEvent } from "../../src/sessions/transcript_event.ts";
import type { TranscriptMessage } from "../../src/sessions/transcript.ts";

// Recorded from the reference 2026.9.6 (`openclaw agent --local` against the fake model): its user and
// assistant `message` events as stored in transcript_events.event_json.
const REFERENCE_USER =
  '{"type":"message","id":"425c92dd-51ee-4f76-9a8c-d9835efefc68","parentId":"099d04e4-cbe8-450d-afab-ba60ad487bb8","timestamp":"2026-11-30T06:03:21.771Z","message":{"role":"user","content":"hi there","timestamp":1796018570159,"__openclaw":{"senderIsOwner":true},"idempotencyKey":"cfac5b62-bce5-4eca-9180-8538c6decf3b:user"}}';
const REFERENCE_ASSISTANT =
  '{"type":"message","id":"966021a1-803d-402f-a346-447f860f292e","parentId":"425c92dd-51ee-4f76-9a8c-d9835efefc68","timestamp":"2026-11-30T06:03:23.450Z","message":{"role":"assistant","content":[{"type":"text","text":"Hello from the fake model, streamed in pieces."}],"api":"openai-completions","provider":"fake","model":"m1","usage":{"input":10,"output":8,"cacheRead":0,"cacheWrite":0,"totalTokens":18,"cost":{"input":0,"output":0,"cacheRead":0,"cacheWrite":0,"total":0}},"stopReason":"stop","timestamp":1796018602094,"responseId":"chatcmpl-fake","__openclaw":{"runId":"b012e760-6a05-4d70-bef8-ebdfccbf734a"}}}';

Deno.test("fromEvent() reads the reference's user and assistant message events", () => {
  assert.deepEqual(fromEvent(REFERENCE_USER), {
    id: "425c92dd-51ee-4f76-9a8c-d9835efefc68",
    role: "user",
    content: [{ type: "text", text: "hi there" }],
    timestamp: 1796018570159,
    senderIsOwner: true,
  });
  assert.deepEqual(fromEvent(REFERENCE_ASSISTANT), {
    id: "966021a1-803d-402f-a346-447f860f292e",
    role: "assistant",
    content: [{ type: "text", text: "Hello from the fake model, streamed in pieces." }],
    timestamp: 1796018602094,
    runId: "b012e760-6a05-4d70-bef8-ebdfccbf734a",
    api: "openai-completions",
    provider: "fake",
    model: "m1",
    stopReason: "stop",
    responseId: "chatcmpl-fake",
    usage: { input: 10, output: 8, cacheRead: 0, cacheWrite: 0 },
  });
});

Deno.test("fromEvent() shows the text of a turn and skips what is not a user or assistant message", () => {
  const thinking = JSON.stringify({
    type: "message",
    id: "x",
    parentId: null,
    timestamp: "2026-11-30T06:03:23.450Z",
    message: {
      role: "assistant",
      content: [{ type: "thinking", thinking: "hm" }, { type: "text", text: "done" }, { type: "toolCall", id: "t" }],
      timestamp: 5,
    },
  });
  assert.deepEqual(fromEvent(thinking)?.content, [{ type: "text", text: "done" }]);
  const toolResult = JSON.stringify({ type: "message", id: "y", message: { role: "toolResult", content: [] } });
  assert.equal(fromEvent(toolResult), undefined);
  assert.equal(fromEvent('{"type":"model_change","provider":"fake","modelId":"m1"}'), undefined);
  assert.equal(fromEvent("{not json"), undefined);
});

Deno.test("messageEvent() writes the reference's shape, and reads back as written", () => {
  const answer: TranscriptMessage = {
    role: "assistant",
    content: [{ type: "text", text: "hi" }],
    timestamp: 1796018602094,
    runId: "r1",
    provider: "fake",
    model: "m1",
    stopReason: "stop",
    usage: { input: 10, output: 8 },
  };
  const json = messageEvent(answer, { id: "e2", parentId: "e1" });
  assert.deepEqual(JSON.parse(json), {
    type: "message",
    id: "e2",
    parentId: "e1",
    timestamp: "2026-11-30T06:03:22.094Z",
    message: {
      role: "assistant",
      content: [{ type: "text", text: "hi" }],
      provider: "fake",
      model: "m1",
      usage: { input: 10, output: 8, totalTokens: 18 },
      stopReason: "stop",
      timestamp: 1796018602094,
      __openclaw: { runId: "r1" },
    },
  });
  assert.deepEqual(fromEvent(json), { ...answer, id: "e2" }, "read back with its event's id");
  assert.deepEqual(JSON.parse(sessionHeaderEvent("s1", 0)), {
    type: "session",
    version: 4,
    id: "s1",
    timestamp: "1970-01-01T00:00:00.000Z",
  });
});

Deno.test("a nested tool call's entry is stored as the reference's openclaw.nested-tool.v1 message and read back", () => {
  const nested = {
    runId: "run-1",
    scopeId: "scope-1",
    afterEntryId: "entry-4",
    startOrder: 0,
    parentToolCallId: "u_2",
    toolCallId: "tool_search_code:u_2:memory_get:1",
    toolName: "memory_get",
    input: { path: "MEMORY.md" },
    result: { content: [{ type: "text", text: "{}" }], details: { status: "ok" } },
    isError: false,
    startedAt: 1000,
    timestamp: 1080,
  };
  const message: TranscriptMessage = {
    role: "custom",
    content: [],
    timestamp: 1000,
    nested,
    runId: "run-1",
    idempotencyKey: "scope-1:tool_search_code:u_2:memory_get:1",
  };
  const json = messageEvent(message, { id: "entry-5", parentId: "entry-4" });
  const stored = JSON.parse(json);
  assert.deepEqual(stored.message, {
    role: "custom",
    customType: "openclaw.nested-tool.v1",
    display: true,
    excludeFromContext: true,
    content: "",
    details: nested,
    timestamp: 1000,
    idempotencyKey: "scope-1:tool_search_code:u_2:memory_get:1",
  });
  assert.deepEqual(fromEvent(json), { ...message, id: "entry-5" });
  // Another custom entry (not one this gateway shows) is skipped, as before.
  stored.message.customType = "run-failed-before-reply";
  assert.equal(fromEvent(JSON.stringify(stored)), undefined);
});
