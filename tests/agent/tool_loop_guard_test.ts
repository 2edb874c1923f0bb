import assert from "node:assert/strict";
import type { PromptMessage, ToolResultMessage } from "../../src/agent/provider.ts";
import { type AgentTool, ToolError } from "../../src/agent/tool.ts";
import { runToolLoop } from "../../src/agent/tool_loop.ts";
import { TOOL_LOOP_STOPPED_TEXT, ToolLoopStopped } from "../../src/agent/tool_loop_stopped.ts";
import {
  admitLoopStep,
  loopBlockedResult,
  loopCallEnded,
  loopCallStarted,
  newLoopGuard,
} from "../../src/agent/tool_loop_guard.ts";
import { answer, LOOP_CONTEXT, scripted } from "../support/scripted_steps.ts";

const missing: AgentTool = {
  name: "read",
  description: "read",
  parameters: { type: "object", properties: {} },
  execute: () => Promise.reject(new ToolError("File not found: /w/missing.txt.")),
};

const readCall = (id: string) => ({ id, name: "read", input: '{"path":"missing.txt"}' });

function toolTexts(prompt: readonly PromptMessage[]): string[] {
  return prompt.filter((m): m is ToolResultMessage => m.role === "tool").map((m) =>
    m.content.map((c) => c.type === "text" ? c.text : "").join("\n")
  );
}

function loop(
  loopDetection: boolean,
  steps = Array.from({ length: 35 }, (_, i) => answer("", [readCall(`c${i + 1}`)])),
) {
  const model = scripted([...steps, answer("gave up")]);
  const ended: { id: string; executed: boolean }[] = [];
  const run = runToolLoop({
    messages: [{ role: "user", text: "read it" }],
    tools: [missing],
    signal: new AbortController().signal,
    context: LOOP_CONTEXT,
    step: model.step,
    loopDetection,
    hooks: { toolEnded: (call, _result, { executed }) => void ended.push({ id: call.id, executed }) },
  });
  return { model, ended, run };
}

/** The thrown read's result, as the reference's tool adapter words it. */
const READ_ERROR = JSON.stringify({ status: "error", tool: "read", error: "File not found: /w/missing.txt." }, null, 2);

Deno.test("runToolLoop with loop detection: note after the 11th call, 21st blocked, 22nd stops the run", async () => {
  const { model, ended, run } = loop(true);
  await assert.rejects(run, (error) => error instanceof ToolLoopStopped && error.message === TOOL_LOOP_STOPPED_TEXT);
  assert.equal(model.prompts.length, 22);
  const texts = toolTexts(model.prompts.at(-1)!);
  assert.equal(texts.length, 21);
  const noted = texts.flatMap((text, i) => text.includes("[System note:") ? [i + 1] : []);
  assert.deepEqual(noted, [11]);
  assert.equal(
    texts[10],
    `${READ_ERROR}\n[System note: Tool-loop warning after 10 repeated calls. Change your approach ` +
      "or stop if you are not making progress.]",
  );
  assert.equal(
    texts[20],
    "CRITICAL: Called read with identical outcomes 20 times. Session execution blocked to prevent runaway loops.\n\n" +
      "Do not repeat this exact tool action. Reassess the task. You may answer the user, ask for clarification, or " +
      "continue with a different tool or different arguments.",
  );
  // The blocked calls never ran.
  assert.deepEqual(ended.filter((e) => !e.executed).map((e) => e.id), ["c21", "c22"]);
});

Deno.test("runToolLoop without loop detection: the same script runs every call to the answer", async () => {
  const { model, run } = loop(false);
  const result = await run;
  assert.equal(result.answer.text, "gave up");
  assert.equal(model.prompts.length, 36);
  assert.ok(toolTexts(model.prompts.at(-1)!).every((text) => text === READ_ERROR));
});

Deno.test("admitLoopStep: a critical call blocks its whole step; the other calls are told why", () => {
  const guard = newLoopGuard();
  const call = (id: string) => ({ id, name: "read", args: { path: "missing.txt" } });
  for (let i = 0; i < 20; i++) {
    loopCallStarted(guard, call(`c${i}`));
    loopCallEnded(guard, call(`c${i}`), { error: "File not found" });
  }
  const admission = admitLoopStep(guard, [{ id: "ls1", name: "ls", args: {} }, call("x"), call("y")]);
  assert.ok("intervention" in admission);
  assert.equal(admission.intervention.toolCallId, "x");
  assert.equal(admission.intervention.terminal, false);
  const blocked = loopBlockedResult(admission.intervention, "ls1");
  assert.equal(
    blocked.content[0]?.type === "text" && blocked.content[0].text,
    "This tool was not executed because another call in the batch triggered critical tool-loop recovery. Reassess " +
      "the task before choosing the next action.",
  );
  assert.deepEqual([blocked.isError, blocked.details?.status, blocked.details?.deniedReason], [
    true,
    "blocked",
    "tool-loop",
  ]);
  // Both repeats were vetoed: the next admission counts them, and is terminal.
  const again = admitLoopStep(guard, [call("z")]);
  assert.ok("intervention" in again);
  assert.equal(again.intervention.count, 22);
  assert.equal(again.intervention.terminal, true);
});

Deno.test("admitLoopStep: calls of one step count as repeats of the ones before them", () => {
  const guard = newLoopGuard();
  const call = (id: string) => ({ id, name: "read", args: { path: "a" } });
  for (let i = 0; i < 9; i++) {
    loopCallStarted(guard, call(`c${i}`));
    loopCallEnded(guard, call(`c${i}`), { result: { content: [{ type: "text", text: `v${i}` }] } });
  }
  const admission = admitLoopStep(guard, [call("x"), call("y")]);
  assert.ok("warnings" in admission);
  assert.deepEqual([...admission.warnings], [["y", 10]]);
});
