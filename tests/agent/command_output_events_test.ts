import assert from "node:assert/strict";
import { commandOutputDelta, commandOutputEnd, isShellTool } from "../../src/agent/command_output_events.ts";

const call = { id: "c1", name: "exec" };

Deno.test("isShellTool: exec and bash have a command_output stream", () => {
  assert.deepEqual(["exec", "bash", "process", "read"].map(isShellTool), [true, true, false, false]);
});

Deno.test("commandOutputDelta: the text so far, trimmed; none before any output; long output cut as the reference cuts it", () => {
  assert.equal(commandOutputDelta(call, "ls", { content: [], details: { status: "running" } }), undefined);
  assert.equal(commandOutputDelta(call, "ls", { content: [{ type: "text", text: " \n" }] }), undefined);
  const long = commandOutputDelta(call, undefined, { content: [{ type: "text", text: "x".repeat(9000) }] });
  assert.equal(long?.title, "exec command");
  assert.equal(long?.output, `${"x".repeat(8000)}\n...(live output truncated)...`);
});

Deno.test("commandOutputEnd: the aggregated output and the process facts; failed or blocked; none while an approval is pending", () => {
  const failed = commandOutputEnd(call, "false", {
    content: [{ type: "text", text: "boom" }],
    details: { status: "failed", exitCode: 1, durationMs: -1 },
  }, { isError: true, executed: true });
  assert.deepEqual(failed, {
    itemId: "command:c1",
    phase: "end",
    title: "command false",
    toolCallId: "c1",
    name: "exec",
    output: "boom",
    status: "failed",
    exitCode: 1,
  });
  const blocked = commandOutputEnd(call, undefined, { content: [{ type: "text", text: "denied" }] }, {
    isError: true,
    executed: false,
  });
  assert.equal(blocked?.status, "blocked");
  const pending = commandOutputEnd(call, "x", { content: [], details: { status: "approval-pending" } }, {
    isError: false,
    executed: true,
  });
  assert.equal(pending, undefined);
});
