import assert from "node:assert/strict";
import {
  clientToolConflicts,
  type PendingToolCall,
  withClientTools,
  withoutSessionCalls,
} from "../../src/agent/client_tools.ts";
import type { PromptMessage } from "../../src/agent/provider.ts";
import { RunError } from "../../src/agent/run_error.ts";
import type { AgentTool } from "../../src/agent/tool.ts";
import { runToolLoop } from "../../src/agent/tool_loop.ts";
import { answer, LOOP_CONTEXT, scripted } from "../support/scripted_steps.ts";

const context = LOOP_CONTEXT;
const schema = { type: "object", properties: {} };

function own(name: string): AgentTool {
  return {
    name,
    description: name,
    parameters: schema,
    execute: () => Promise.resolve({ content: [{ type: "text", text: `${name} ran` }] }),
  };
}

const WEATHER = { name: "get_weather", description: "Weather", parameters: schema };

Deno.test("clientToolConflicts: a name the agent holds (any case) and both of a duplicated pair", () => {
  assert.deepEqual(clientToolConflicts([WEATHER], ["read", "exec"]), []);
  assert.deepEqual(clientToolConflicts([{ ...WEATHER, name: "Exec" }], ["exec"]), ["Exec"]);
  assert.deepEqual(clientToolConflicts([WEATHER, { ...WEATHER, name: "GET_WEATHER" }], []), [
    "get_weather",
    "GET_WEATHER",
  ]);
  assert.throws(
    () => withClientTools([own("exec")], [{ ...WEATHER, name: "exec" }], []),
    (e: unknown) =>
      e instanceof RunError && e.kind === "client_tools" && e.message === "client tool name conflict: exec",
  );
});

Deno.test("runToolLoop with a caller's tool: a step calling only it ends the loop; its call is recorded", async () => {
  const pending: PendingToolCall[] = [];
  const model = scripted([answer("Let me check.", [{ id: "c1", name: "get_weather", input: '{"city":"Paris"}' }])]);
  const result = await runToolLoop({
    messages: [{ role: "user", text: "weather?" }],
    tools: withClientTools([own("agents_list")], [WEATHER], pending),
    signal: new AbortController().signal,
    context,
    step: model.step,
  });
  assert.equal(result.terminated, true);
  assert.equal(result.steps, 1);
  assert.equal(result.answer.text, "Let me check.");
  assert.deepEqual(pending, [{ id: "c1", name: "get_weather", arguments: '{"city":"Paris"}' }]);
});

Deno.test("runToolLoop with both kinds in one step: the agent's runs, the caller's gets the pending result, the loop goes on", async () => {
  const pending: PendingToolCall[] = [];
  const model = scripted([
    answer("", [{ id: "g", name: "agents_list" }, { id: "c", name: "get_weather", input: '{"city":"Oslo"}' }]),
    answer("after both"),
  ]);
  const result = await runToolLoop({
    messages: [{ role: "user", text: "hi" }],
    tools: withClientTools([own("agents_list")], [WEATHER], pending),
    signal: new AbortController().signal,
    context,
    step: model.step,
  });
  assert.equal(result.terminated, undefined);
  assert.equal(result.answer.text, "after both");
  assert.deepEqual(pending.map((c) => c.id), ["c"]);
  const results = model.prompts[1]!.filter((m) => m.role === "tool");
  assert.deepEqual(results.map((m) => m.role === "tool" && m.content), [
    [{ type: "text", text: "agents_list ran" }],
    [{
      type: "text",
      text: '{\n  "status": "pending",\n  "tool": "get_weather",\n  "message": "Tool execution delegated to client"\n}',
    }],
  ]);
});

Deno.test("withoutSessionCalls: a call the session holds is left out, the caller's result for it becomes the reference's text", () => {
  const result = (id: string, text: string, isError = false): PromptMessage => ({
    role: "tool",
    toolCallId: id,
    toolName: "get_weather",
    content: [{ type: "text", text }],
    isError,
  });
  const messages: PromptMessage[] = [
    { role: "assistant", text: "", toolCalls: [{ id: "k1", name: "get_weather", input: {} }] },
    result("k1", "sunny"),
    { role: "assistant", text: "two", toolCalls: [{ id: "k2", name: "get_weather", input: {} }] },
    result("k2", "missing", true),
    {
      role: "assistant",
      text: "",
      toolCalls: [{ id: "k3", name: "get_weather", input: {} }, { id: "n1", name: "x", input: {} }],
    },
    result("k3", "rain"),
    result("n1", "new"),
  ];
  assert.deepEqual(withoutSessionCalls(messages, new Set(["k1", "k2", "k3"])), [
    { role: "user", text: "Tool:k1: sunny" },
    { role: "assistant", text: "two" },
    { role: "assistant", text: "", toolCalls: [{ id: "n1", name: "x", input: {} }] },
    // The step's own results first: a result follows its call's message directly.
    result("n1", "new"),
    { role: "user", text: "Tool:k3: rain" },
  ]);
  assert.deepEqual(withoutSessionCalls(messages, new Set()), messages);
});
