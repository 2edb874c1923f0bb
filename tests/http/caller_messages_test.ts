import assert from "node:assert/strict";
import { MISSING_TOOL_RESULT } from "../../src/agent/run_model.ts";
import { assistantCalls, pairToolTurns, splitAtLastUser, toolResult } from "../../src/http/caller_messages.ts";
import { chatToolInput, wantsToolPath } from "../../src/http/chat_tool_turns.ts";

Deno.test("pairToolTurns: results follow their calls with the call's tool name; orphans become the reference's text; unanswered calls get the missing result", () => {
  const calls = [{ id: "a", name: "get_weather", input: { city: "Paris" } }, { id: "b", name: "other", input: {} }];
  const paired = pairToolTurns([
    { role: "user", text: "hi" },
    { role: "assistant", text: "", toolCalls: calls },
    toolResult("a", "", "sunny"),
    toolResult("zz", "", "stray"),
  ]);
  assert.deepEqual(paired, [
    { role: "user", text: "hi" },
    { role: "assistant", text: "", toolCalls: calls },
    toolResult("a", "get_weather", "sunny"),
    { ...toolResult("b", "other", MISSING_TOOL_RESULT), isError: true },
    { role: "user", text: "Tool:zz: stray" },
  ]);
  assert.deepEqual(splitAtLastUser(paired.slice(0, 3)), {
    context: [],
    message: "hi",
    continuation: paired.slice(1, 3),
  });
});

Deno.test("assistantCalls: the reference drops calls without id or name; arguments parsed, {} when not an object", () => {
  assert.deepEqual(
    assistantCalls([
      { id: "a", type: "function", function: { name: "x", arguments: '{"k":1}' } },
      { id: "", function: { name: "x" } },
      { id: "b", function: { name: "y", arguments: "not json" } },
      { id: "c", function: {} },
    ]),
    [{ id: "a", name: "x", input: { k: 1 } }, { id: "b", name: "y", input: {} }],
  );
});

Deno.test("chat tool path: only with tools, a tool choice or tool turns; the choice's instruction follows the caller's system messages", () => {
  const plain = { messages: [{ role: "user", content: "hi" }, { role: "assistant", content: "yo" }] };
  assert.equal(wantsToolPath(plain), false);
  assert.equal(wantsToolPath({ ...plain, tools: [] }), true);
  assert.equal(wantsToolPath({ messages: [{ role: "tool", "tool_call_id": "a", content: "x" }] }), true);
  const input = chatToolInput({
    messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "hi" }],
    tools: [{ type: "function", function: { name: "t" } }],
    "tool_choice": "required",
  });
  assert.deepEqual(input.context, [
    { role: "system", text: "Be brief." },
    { role: "system", text: "You must call one of the available tools before responding." },
  ]);
  assert.equal(input.message, "hi");
});
