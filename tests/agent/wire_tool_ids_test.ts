import assert from "node:assert/strict";
import { anthropicToolIds } from "../../src/agent/wire_tool_ids.ts";
import { modelPrompt } from "../../src/agent/model_prompt.ts";

Deno.test("Anthropic ids: native ones stay, others are stripped to letters and digits and capped", () => {
  const ids = anthropicToolIds();
  assert.equal(ids.call("toolu_01ABC-x"), "toolu_01ABC-x");
  assert.equal(ids.call("functions.echo:0"), "functionsecho0");
  assert.equal(ids.call("a".repeat(50) + ".b"), "a".repeat(40));
  assert.equal(ids.call("!!!"), "sanitizedtoolid");
  assert.equal(ids.result("functions.echo:0"), "functionsecho0");
  assert.equal(ids.result("!!!"), "sanitizedtoolid");
});

Deno.test("Anthropic ids stay unique in one prompt, and each result gets its own call's id", () => {
  const prompt = modelPrompt([
    { role: "user", text: "go" },
    { role: "assistant", text: "", toolCalls: [{ id: "call 0", name: "echo", input: {} }] },
    { role: "tool", toolCallId: "call 0", toolName: "echo", content: [{ type: "text", text: "one" }], isError: false },
    { role: "assistant", text: "", toolCalls: [{ id: "call 0", name: "echo", input: {} }] },
    { role: "tool", toolCallId: "call 0", toolName: "echo", content: [{ type: "text", text: "two" }], isError: false },
  ], { toolIds: anthropicToolIds() });
  const calls = prompt.flatMap((m) =>
    m.role === "assistant" ? m.content.flatMap((c) => c.type === "tool-call" ? [c.toolCallId] : []) : []
  );
  const results = prompt.flatMap((m) => m.role === "tool" ? m.content.map((c) => c.toolCallId) : []);
  assert.equal(calls[0], "call0");
  assert.notEqual(calls[1], calls[0]);
  assert.match(calls[1]!, /^[a-zA-Z0-9_-]+$/);
  assert.deepEqual(results, calls);
});
