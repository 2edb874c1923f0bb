// The rules of `openclaw sessions tail` beyond the recorded cases (read from the reference's dist:
// sessions-tail-*.mjs, agent-run-terminal-outcome-*.mjs, text-format-*.mjs).
import assert from "node:assert/strict";
import { type Selection, selectSessionsToTail } from "../../../src/cli/commands/sessions_tail.ts";
import { formatProgressLine, formatTextCell } from "../../../src/cli/commands/sessions_tail_format.ts";

function selection(key: string, updatedAt: number, status?: string): Selection {
  return { key, path: "/db", sessionId: `${key}-id`, entry: { updatedAt, ...(status ? { status } : {}) } };
}

Deno.test("selectSessionsToTail(): the requested key, else running sessions newest first, else the latest", () => {
  const a = selection("agent:main:a", 1);
  const b = selection("agent:main:b", 3);
  const c = selection("agent:main:c", 2, "running");
  const d = selection("agent:main:d", 4, "running");
  assert.deepEqual(selectSessionsToTail([a, b], " agent:main:a "), [a]);
  assert.deepEqual(selectSessionsToTail([a, b], "agent:main:x"), []);
  assert.deepEqual(selectSessionsToTail([a, b, c, d], undefined), [d, c]);
  assert.deepEqual(selectSessionsToTail([a, b], undefined), [b]);
  assert.deepEqual(selectSessionsToTail([], undefined), []);
});

Deno.test("formatTextCell(): pads short text, cuts long text to the width with an ellipsis, counts wide cells", () => {
  assert.equal(formatTextCell("abc", 5), "abc  ");
  assert.equal(formatTextCell("abcdef", 5), "abcd…");
  assert.equal(formatTextCell("日本語テキスト", 6), "日本… ");
});

Deno.test("formatProgressLine(): a completion's outcome as the reference classifies it", () => {
  const line = (data: Record<string, unknown>) =>
    formatProgressLine({ type: "model.completed", ts: 0, sessionKey: "k", data }).slice(57);
  assert.equal(line({ timeoutPhase: "provider" }), "timeout");
  assert.equal(line({ timeoutPhase: "queue" }), "timeout");
  assert.equal(line({ status: "superseded" }), "aborted");
  assert.equal(line({ livenessState: "blocked" }), "error");
  assert.equal(line({ stopReason: "restart" }), "aborted");
  assert.equal(line({ stopReason: "error" }), "error");
  assert.equal(line({ terminalError: "x" }), "error");
  assert.equal(line({ status: "ok" }), "done");
});
