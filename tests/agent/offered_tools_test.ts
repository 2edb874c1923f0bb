import assert from "node:assert/strict";
import { offeredTools, OWNER_ONLY_TOOLS } from "../../src/agent/offered_tools.ts";
import { execDescription } from "../../src/agent/exec_tool.ts";
import { processDescription } from "../../src/agent/process_tool.ts";
import type { AgentTool } from "../../src/agent/tool.ts";

function tool(name: string, description = `${name} tool`): AgentTool {
  return {
    name,
    description,
    parameters: { type: "object", properties: {} },
    execute: () => Promise.resolve({ content: [{ type: "text", text: name }] }),
  } as unknown as AgentTool;
}

const FAMILY_ORDER = ["sessions_list", "exec", "process", "read", "web_fetch", "message", "docs__find", "automations"];

function tools(): AgentTool[] {
  return FAMILY_ORDER.map((name) =>
    name === "exec"
      ? tool(name, execDescription(false))
      : name === "process"
      ? tool(name, processDescription(false))
      : tool(name)
  );
}

Deno.test("offered tools: sorted by name as the reference's model request lists them", () => {
  assert.deepEqual(offeredTools(tools(), { senderIsOwner: true }).map((t) => t.name), [
    "automations",
    "docs__find",
    "exec",
    "message",
    "process",
    "read",
    "sessions_list",
    "web_fetch",
  ]);
});

Deno.test("offered tools: a non-owner's turn is not offered the owner-only tools", () => {
  const names = offeredTools(tools(), { senderIsOwner: false }).map((t) => t.name);
  assert.ok(!names.includes("automations"));
  assert.deepEqual(names, ["docs__find", "exec", "message", "process", "read", "sessions_list", "web_fetch"]);
  assert.ok(OWNER_ONLY_TOOLS.has("gateway") && OWNER_ONLY_TOOLS.has("openclaw") && !OWNER_ONLY_TOOLS.has("message"));
});

Deno.test("offered tools: exec and process steer follow-ups to automations only when it is offered", () => {
  const byName = (list: AgentTool[]) => new Map(list.map((t) => [t.name, t.description]));
  const owner = byName(offeredTools(tools(), { senderIsOwner: true }));
  assert.ok(owner.get("exec")!.includes("No sleep loops for reminders/follow-ups; use automations. TTY CLI/UI"));
  assert.ok(
    owner.get("process")!.endsWith(
      "Others: input/intervention. No polling as timer/reminder; scheduled follow-up uses automations.",
    ),
  );
  const other = byName(offeredTools(tools(), { senderIsOwner: false }));
  assert.equal(other.get("exec"), execDescription(false));
  assert.ok(!other.get("exec")!.includes("automations"));
  assert.equal(other.get("process"), processDescription(false));
});

Deno.test("offered tools: the kept tools are never changed, only copied", () => {
  const kept = tools();
  const before = kept.map((t) => t.description);
  const offered = offeredTools(kept, { senderIsOwner: true });
  assert.deepEqual(kept.map((t) => t.description), before);
  assert.notEqual(offered.find((t) => t.name === "exec"), kept.find((t) => t.name === "exec"));
  assert.equal(offered.find((t) => t.name === "read"), kept.find((t) => t.name === "read"));
});
