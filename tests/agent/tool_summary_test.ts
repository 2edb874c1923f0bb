import assert from "node:assert/strict";
import { toolSummary } from "../../src/agent/tool_summary.ts";
import type { AgentTool } from "../../src/agent/tool.ts";

function tool(name: string, description: string): AgentTool {
  return { name, description, parameters: { type: "object", properties: {} } } as unknown as AgentTool;
}

Deno.test("tool summary: a tool with the reference's display summary shows it", () => {
  assert.equal(toolSummary(tool("exec", "Run shell now; background continuation supported.")), "Run shell now.");
  assert.equal(toolSummary(tool("docs__exec", "Runs docs.")), "Runs docs.");
});

Deno.test("tool summary: else the description's first prose line, cut to 120 at a word with ...", () => {
  const read =
    "Read text/image file (jpg/png/gif/webp/bmp); images attach to model context. Text caps 2000 lines or 50KB. Continue with offset.";
  assert.equal(
    toolSummary(tool("read", read)),
    "Read text/image file (jpg/png/gif/webp/bmp); images attach to model context. Text caps 2000 lines or 50KB. Continue...",
  );
  assert.equal(
    toolSummary(tool("web_fetch", "Fetch URL; extract  readable\ttext.")),
    "Fetch URL; extract readable text.",
  );
  assert.equal(toolSummary(tool("x", "ACTIONS:\n- list\n\nLists   things.\nMore.")), "Lists things.");
  assert.equal(toolSummary(tool("y", '{"a":1}\n[1]')), "Tool");
  assert.equal(toolSummary(tool("z", "x".repeat(130))), `${"x".repeat(117)}...`);
});
