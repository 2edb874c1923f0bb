import assert from "node:assert/strict";
import { toolErrorMessage } from "../../src/agent/tool_events.ts";

const text = (t: string) => [{ type: "text" as const, text: t }];

Deno.test("toolErrorMessage: the details' error first, then aggregated output, JSON text's error, the text's first line", () => {
  const thrown = { status: "error", tool: "edit", error: "Could not find the exact text.\nCurrent file contents:\nx" };
  assert.equal(
    toolErrorMessage({ content: text(JSON.stringify(thrown, null, 2)), details: thrown }),
    "Could not find the exact text.",
  );
  assert.equal(
    toolErrorMessage({ content: text("exit 2"), details: { status: "failed", aggregated: "ls: nope\nmore" } }),
    "ls: nope",
  );
  assert.equal(toolErrorMessage({ content: text('{"error":"bad input"}'), details: {} }), "bad input");
  assert.equal(toolErrorMessage({ content: text("ok?"), details: { status: "timed_out" } }), "timed_out");
  assert.equal(
    toolErrorMessage({ content: text('Validation failed for tool "read":\n  - path: required'), details: {} }),
    'Validation failed for tool "read":',
  );
  assert.equal(toolErrorMessage({ content: text("y".repeat(500)), details: {} }), `${"y".repeat(400)}…`);
});
