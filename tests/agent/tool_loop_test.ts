import assert from "node:assert/strict";
import type { ToolResultMessage } from "../../src/agent/provider.ts";
import { RunError } from "../../src/agent/run_error.ts";
import { type AgentTool, ToolError } from "../../src/agent/tool.ts";
import { runToolLoop } from "../../src/agent/tool_loop.ts";
import { answer, LOOP_CONTEXT, scripted } from "../support/scripted_steps.ts";

const context = LOOP_CONTEXT;

function tool(name: string, execute: AgentTool["execute"]): AgentTool {
  return { name, description: name, parameters: { type: "object", properties: {} }, execute };
}

Deno.test("runToolLoop: runs each call in order, sends the results back, ends on the answer without calls", async () => {
  const seen: string[] = [];
  const model = scripted([
    answer("", [{ id: "a", name: "echo", input: '{"say":"hi"}' }, { id: "b", name: "echo", input: '{"say":"yo"}' }]),
    answer("all done"),
  ]);
  const result = await runToolLoop({
    messages: [{ role: "user", text: "go" }],
    tools: [tool("echo", (args, call) => {
      seen.push(`${call.toolCallId}:${args.say}`);
      return Promise.resolve({ content: [{ type: "text", text: String(args.say) }] });
    })],
    signal: new AbortController().signal,
    context,
    step: model.step,
  });
  assert.deepEqual(seen, ["a:hi", "b:yo"]);
  assert.equal(result.answer.text, "all done");
  assert.equal(result.steps, 2);
  assert.deepEqual(result.usage, { input: 20, output: 4, cacheRead: undefined, cacheWrite: undefined });
  const second = model.prompts[1]!;
  assert.deepEqual(second[1], {
    role: "assistant",
    text: "",
    toolCalls: [{ id: "a", name: "echo", input: { say: "hi" } }, { id: "b", name: "echo", input: { say: "yo" } }],
  });
  assert.deepEqual(
    second.slice(2).map((m) => (m as ToolResultMessage).content),
    [[{ type: "text", text: "hi" }], [{ type: "text", text: "yo" }]],
  );
});

Deno.test("runToolLoop: a ToolError or a throw is the reference's JSON error result, bad JSON and an unknown tool plain ones; the run goes on", async () => {
  const ended: [string, string, boolean][] = [];
  const model = scripted([
    answer("", [
      { id: "1", name: "refuses" },
      { id: "2", name: "crashes" },
      { id: "3", name: "refuses", input: "{not json" },
      { id: "4", name: "missing" },
    ]),
    answer("recovered"),
  ]);
  const result = await runToolLoop({
    messages: [{ role: "user", text: "go" }],
    tools: [
      tool("refuses", () => Promise.reject(new ToolError("path must be inside the workspace"))),
      tool("crashes", () => Promise.reject(new Error("disk on fire"))),
    ],
    signal: new AbortController().signal,
    context,
    step: model.step,
    hooks: {
      toolEnded: (call, result, { isError }) => {
        ended.push([call.id, (result.content[0] as { text: string }).text, isError]);
      },
    },
  });
  assert.equal(result.answer.text, "recovered");
  assert.deepEqual(ended, [
    // A throw is the reference's adapter result: `{status, tool, error}` as indented JSON.
    [
      "1",
      JSON.stringify({ status: "error", tool: "refuses", error: "path must be inside the workspace" }, null, 2),
      true,
    ],
    ["2", JSON.stringify({ status: "error", tool: "crashes", error: "disk on fire" }, null, 2), true],
    ["3", "Invalid arguments for tool refuses: not valid JSON", true],
    ["4", "Tool missing not found", true],
  ]);
  assert.ok(model.prompts[1]!.slice(2).every((m) => (m as ToolResultMessage).isError));
});

Deno.test("runToolLoop: an abort stops a running tool (its signal fires) and the loop", async () => {
  const controller = new AbortController();
  let toolSignal: AbortSignal | undefined;
  const model = scripted([answer("", [{ id: "slow", name: "sleep" }, { id: "next", name: "sleep" }]), answer("never")]);
  const ended: [string, string, boolean][] = [];
  const run = runToolLoop({
    messages: [{ role: "user", text: "go" }],
    tools: [tool("sleep", (_args, call) => {
      toolSignal = call.signal;
      // A tool that ignores its signal: the loop must not wait for it.
      queueMicrotask(() => controller.abort());
      return new Promise(() => {});
    })],
    signal: controller.signal,
    context,
    step: model.step,
    hooks: {
      toolEnded: (call, result, { executed }) => {
        ended.push([call.id, (result.content[0] as { text: string }).text, executed]);
      },
    },
  });
  await assert.rejects(run, (error) => error instanceof RunError && error.kind === "aborted");
  assert.equal(toolSignal?.aborted, true);
  // The reference's result for the cut-off call and for the one never run.
  assert.deepEqual(ended, [["slow", "Operation aborted", true], ["next", "Operation aborted", false]]);
  assert.equal(model.prompts.length, 1, "no model step after the abort");
});

Deno.test("runToolLoop: a model that never stops calling tools ends at the step limit", async () => {
  let calls = 0;
  const model = scripted([answer("", [{ id: "x", name: "noop" }])]);
  await assert.rejects(
    runToolLoop({
      messages: [{ role: "user", text: "go" }],
      tools: [tool("noop", () => {
        calls++;
        return Promise.resolve({ content: [] });
      })],
      signal: new AbortController().signal,
      context,
      step: model.step,
      maxSteps: 5,
    }),
    (error) => error instanceof RunError && /after 5 steps/.test(error.message),
  );
  assert.equal(model.prompts.length, 5);
  assert.equal(calls, 4);
});
