// The exec family: `exec` and `process` over the gateway's one process registry. The gateway builds
// the registry (and stops it on shutdown); the family only lends it to each agent's tools.
import type { LaunchHostFacts } from "./exec_launch.ts";
import { execTool } from "./exec_tool.ts";
import { processTool } from "./process_tool.ts";
import type { ProcessRegistry } from "./process_registry.ts";
import type { ToolFamily } from "./tool.ts";

/** The gateway's environment as a launch fact (host commands inherit it, as the reference's do). */
export const GATEWAY_FACTS: LaunchHostFacts = { env: () => Deno.env.toObject() };

/** `exec` and `process` for every agent, over `registry`. */
export function execFamily(registry: ProcessRegistry, facts: LaunchHostFacts = GATEWAY_FACTS): ToolFamily {
  return (host, agent) => [execTool(host, agent, { registry, facts }), processTool(registry)];
}
