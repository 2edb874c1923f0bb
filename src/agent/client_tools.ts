// A caller's own function tools (the HTTP APIs' `tools`), offered to the model next to the agent's.
// The gateway cannot run them: a call to one is recorded and answered with the reference's
// "delegated to client" result, and a step whose every call is the caller's ends the run, so the
// calls go back to the caller (`finish_reason: "tool_calls"`), who runs them and asks again.
import type { OfferedTool } from "./model_prompt.ts";
import { RunError } from "./run_error.ts";
import type { AgentTool, ToolResult } from "./tool.ts";

/** A call of a caller's tool, handed back to the caller: its id, the tool's name and the arguments as JSON text. */
export interface PendingToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** The reference's words for client tools whose names clash (its `isClientToolNameConflictError` prefix). */
export const CLIENT_TOOL_CONFLICT_PREFIX = "client tool name conflict:";

/** Tool names as the reference compares them for a clash: trimmed, case folded. */
function normalized(name: string): string {
  return name.trim().toLowerCase();
}

/**
 * The caller's tool names that clash with the agent's tools or with each other (both of a
 * duplicated pair), in the order the caller gave them.
 */
export function clientToolConflicts(client: readonly OfferedTool[], own: readonly string[]): string[] {
  const taken = new Set(own.map(normalized));
  const conflicts = new Set<string>();
  const seen = new Map<string, string>();
  for (const tool of client) {
    const key = normalized(tool.name);
    if (taken.has(key)) conflicts.add(tool.name);
    const prior = seen.get(key);
    if (prior !== undefined) {
      conflicts.add(prior);
      conflicts.add(tool.name);
      continue;
    }
    seen.set(key, tool.name);
  }
  return [...conflicts];
}

/** What the model reads for a call the caller will run: the reference's pending result, word for word. */
function pendingResult(name: string): ToolResult {
  const details = { status: "pending", tool: name, message: "Tool execution delegated to client" };
  return { content: [{ type: "text", text: JSON.stringify(details, null, 2) }], details, terminate: true };
}

/**
 * The agent's tools and the caller's, the caller's recording each call into `pending`. A clash of
 * names is thrown as a `client_tools` run error before anything runs (the reference refuses it).
 */
export function withClientTools(
  own: readonly AgentTool[],
  client: readonly OfferedTool[],
  pending: PendingToolCall[],
): AgentTool[] {
  const conflicts = clientToolConflicts(client, own.map((tool) => tool.name));
  if (conflicts.length > 0) {
    throw new RunError("client_tools", `${CLIENT_TOOL_CONFLICT_PREFIX} ${conflicts.join(", ")}`);
  }
  const delegated = client.map((tool): AgentTool => ({
    ...tool,
    execute: (args, call) => {
      pending.push({ id: call.toolCallId, name: tool.name, arguments: JSON.stringify(args) });
      return Promise.resolve(pendingResult(tool.name));
    },
  }));
  return [...own, ...delegated];
}
