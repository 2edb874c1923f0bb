// What a turn's model is offered of an agent's policy-allowed tools, as the reference 2026.9.6 decides it per
// turn (recorded in tests/fixtures/tool_set/ref.json):
// - a turn whose sender is not the owner (a channel's non-owner sender, a hook's or another session's run) is not
//   offered the owner-only gateway tools: `automations` would otherwise be offered only to refuse every call;
// - `exec` and `process` tell the model to schedule follow-ups with `automations` only when that tool is offered;
// - the tools go to the model sorted by name, whatever order the families built them in.
import { execDescription } from "./exec_tool.ts";
import { processDescription } from "./process_tool.ts";
import type { AgentTool } from "./tool.ts";

/** The reference's owner-only core tools (its GATEWAY_OWNER_ONLY_CORE_TOOLS): never offered to a non-owner's turn. */
export const OWNER_ONLY_TOOLS: ReadonlySet<string> = new Set([
  "automations",
  "gateway",
  "plugins",
  "sessions",
  "screen",
  "terminal",
  "portal",
  "conversations_list",
  "conversations_send",
  "conversations_turn",
  "nodes",
  "computer",
  "mobile_ui",
  "openclaw",
]);

/** Descriptions that depend on whether `automations` is offered beside the tool. */
const FOLLOWUP_DESCRIPTIONS: Readonly<Record<string, (hasAutomations: boolean) => string>> = {
  exec: execDescription,
  process: processDescription,
};

/** Orders tool names as the reference's model request does. */
function byName(a: AgentTool, b: AgentTool): number {
  return a.name.localeCompare(b.name);
}

/**
 * The tools a turn offers its model: `tools` (already allowed by tool policy) less the owner-only ones when the
 * sender is not the owner, `exec`/`process` described for the `automations` tool's presence, sorted by name.
 * Tools are copied where their description changes: the kept sets (tool_sets.ts) are shared between turns.
 */
export function offeredTools(tools: readonly AgentTool[], turn: { senderIsOwner: boolean }): AgentTool[] {
  const kept = turn.senderIsOwner ? [...tools] : tools.filter((tool) => !OWNER_ONLY_TOOLS.has(tool.name));
  const hasAutomations = kept.some((tool) => tool.name === "automations");
  return kept.map((tool) => {
    const describe = FOLLOWUP_DESCRIPTIONS[tool.name];
    const description = describe?.(hasAutomations);
    return description !== undefined && description !== tool.description ? { ...tool, description } : tool;
  }).sort(byName);
}
