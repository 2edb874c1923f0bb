import assert from "node:assert/strict";
import { RunTrajectory } from "../../src/agent/run_trajectory.ts";

const HEADER = {
  sessionId: "s1",
  sessionKey: "agent:main:main",
  runId: "r1",
  agentId: "main",
  workspaceDir: "/w",
  provider: "fake",
  modelId: "tm",
  modelApi: "openai-completions",
};

Deno.test("an interrupted run ends with the reference's terminal fields and its tools' lifecycle", () => {
  const run = new RunTrajectory(HEADER);
  run.toolCall({ toolCallId: "c1", name: "exec", args: { command: "sleep 9" } });
  run.toolCall({ toolCallId: "c2", name: "read", args: { path: "a" } });
  run.toolResult({ toolCallId: "c2", name: "read" }, { content: [{ type: "text", text: "no" }] }, true);
  run.ended({
    status: "interrupted",
    aborted: true,
    timedOut: false,
    usage: undefined,
    assistantTexts: [],
    stopReason: "aborted",
    messages: [],
    compactionCount: 0,
  }, "go");
  const [, , , completed, artifacts, ended] = run.events;
  assert.deepEqual(run.events.map((event) => event.type), [
    "tool.call",
    "tool.call",
    "tool.result",
    "model.completed",
    "trace.artifacts",
    "session.ended",
  ]);
  assert.equal(completed!.data.stopReason, "aborted");
  assert.deepEqual(run.events[2]!.data, {
    toolCallId: "c2",
    name: "read",
    success: false,
    result: { content: [{ type: "text", text: "no" }] },
  });
  assert.deepEqual(artifacts!.data.itemLifecycle, { startedCount: 2, completedCount: 1, activeCount: 1 });
  assert.deepEqual(artifacts!.data.toolMetas, [{ toolName: "read", toolCallId: "c2", isError: true }]);
  assert.equal(artifacts!.data.finalStatus, "interrupted");
  assert.deepEqual(ended!.data, {
    status: "interrupted",
    aborted: true,
    externalAbort: true,
    timedOut: false,
    idleTimedOut: false,
    timedOutDuringCompaction: false,
    timedOutDuringToolExecution: false,
    timedOutByRunBudget: false,
    promptError: undefined,
    stopReason: "aborted",
  });
});
