// The hooks config resolved into routing, kept light: the start-up guards (loaded by every CLI
// command through cli/exit.ts) check it without loading the hooks endpoint itself.
import { dirname } from "node:path";
import type { AgentsConfig } from "../agent/agents_config.ts";
import type { ResolvedConfig } from "../config/resolve.ts";
import { type HookRouting, resolveHookRouting } from "../http/hook_config.ts";

/** Resolves `hooks.*` into routing; throws with the reference's words on a config it refuses. */
export function hookRoutingOf(config: ResolvedConfig, agents: AgentsConfig, generation: number): HookRouting {
  return resolveHookRouting(config.hooks, {
    configDir: dirname(config.paths.configPath),
    agentIds: agents.agents.map((a) => a.id),
    defaultAgentId: agents.defaultAgentId,
    generation,
  });
}

/** Why the hooks config cannot be resolved (the reference refuses to start on it), or undefined. */
export function hookRoutingError(config: ResolvedConfig): string | undefined {
  try {
    hookRoutingOf(config, config.agents, 0);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
