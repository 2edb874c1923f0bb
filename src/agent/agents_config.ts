// Agents and providers are a section of the resolved config (config/resolve_agents.ts); this module
// keeps the names the agent layer and its callers use.
export {
  AGENT_ID,
  type AgentsConfig,
  type AgentSpec,
  type ModelRef,
  parseModelRef,
  type ProviderSpec,
  /** Resolves the agents section of a config as written; the gateway reads it from its resolved config. */
  resolveAgents as agentsFromConfig,
} from "../config/resolve_agents.ts";
