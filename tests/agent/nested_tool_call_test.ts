import assert from "node:assert/strict";
import { nestedToolCalls } from "../../src/agent/nested_tool_call.ts";
import { runEvents } from "../../src/agent/run_events.ts";
import { modelMessages } from "../../src/agent/run_model.ts";
import type { TranscriptMessage } from "../../src/sessions/transcript.ts";

function harness() {
  const seen: { stream: string; data: Record<string, unknown> }[] = [];
  const events = runEvents((event, payload) => {
    if (event === "agent") seen.push({ stream: String(payload.stream), data: payload.data as Record<string, unknown> });
  }, { runId: "r", sessionKey: "agent:main:main", agentId: "main" });
  const recorded: TranscriptMessage[] = [];
  const hook = nestedToolCalls({
    runId: "r",
    events,
    display: (call) => ({ title: `Memory Get ${call.args.path}`, meta: String(call.args.path) }),
    afterEntryId: () => "entry-4",
    record: (message) => recorded.push(message),
  });
  return { seen, recorded, hook };
}

const PARENT = { id: "u_2", name: "tool_call", args: { id: "memory_get" } };

Deno.test("nestedToolCalls(): the inner call runs under the reference's id, its tool events name the parent, the transcript keeps it", async () => {
  const { seen, recorded, hook } = harness();
  let ranAs = "";
  const result = await hook(PARENT, { name: "memory_get", args: { path: "MEMORY.md" } }, (toolCallId) => {
    ranAs = toolCallId;
    return Promise.resolve({ content: [{ type: "text", text: "ok" }], details: { status: "ok" } });
  });
  const id = "tool_search_code:u_2:memory_get:1";
  assert.equal(ranAs, id);
  assert.deepEqual(result.content, [{ type: "text", text: "ok" }]);
  assert.deepEqual(seen.map((e) => [e.stream, e.data.phase, e.data.toolCallId, e.data.parentToolCallId]), [
    ["item", "start", id, undefined],
    ["tool", "start", id, "u_2"],
    ["tool", "result", id, "u_2"],
    ["item", "end", id, undefined],
  ]);
  assert.equal(seen[0]!.data.title, "Memory Get MEMORY.md");
  assert.equal(recorded.length, 1);
  const [entry] = recorded;
  assert.equal(entry!.role, "custom");
  assert.equal(entry!.idempotencyKey, `${entry!.nested!.scopeId}:${id}`);
  assert.deepEqual(
    { ...entry!.nested!, scopeId: "", startedAt: 0, timestamp: 0 },
    {
      runId: "r",
      scopeId: "",
      afterEntryId: "entry-4",
      startOrder: 0,
      parentToolCallId: "u_2",
      toolCallId: id,
      toolName: "memory_get",
      input: { path: "MEMORY.md" },
      result: { content: [{ type: "text", text: "ok" }], details: { status: "ok" } },
      isError: false,
      startedAt: 0,
      timestamp: 0,
    },
  );
});

Deno.test("nestedToolCalls(): an inner call that throws shows failed, is kept, and its error goes on to the parent", async () => {
  const { seen, recorded, hook } = harness();
  await assert.rejects(
    hook(PARENT, { name: "memory_get", args: { path: "x" } }, () => Promise.reject(new Error("boom"))),
    /boom/,
  );
  assert.equal(seen.at(-1)!.data.status, "failed");
  assert.equal(recorded[0]!.nested!.isError, true);
  // The next call of the run is numbered on.
  await hook(PARENT, { name: "memory_get", args: { path: "y" } }, () => Promise.resolve({ content: [] }));
  assert.equal(recorded[1]!.nested!.startOrder, 1);
  assert.equal(recorded[1]!.nested!.toolCallId, "tool_search_code:u_2:memory_get:2");
});

Deno.test("modelMessages(): a nested call's entry stays out of the model's context", () => {
  const messages = modelMessages(undefined, [
    { role: "user", content: [{ type: "text", text: "milk?" }], timestamp: 1 },
    {
      role: "assistant",
      content: [{ type: "toolCall", id: "u_2", name: "tool_call", arguments: {} }],
      timestamp: 2,
    },
    { role: "custom", content: [], timestamp: 3 },
    {
      role: "toolResult",
      toolCallId: "u_2",
      toolName: "tool_call",
      content: [{ type: "text", text: "{}" }],
      timestamp: 4,
    },
  ]);
  assert.deepEqual(messages.map((m) => m.role), ["user", "assistant", "tool"]);
  assert.equal((messages[2] as { content: { text: string }[] }).content[0]!.text, "{}");
});
