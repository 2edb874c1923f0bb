import type { AgentsConfig, AgentSpec, ModelRef, ProviderSpec } from "./agents_config.ts";
import { providerSpecOf } from "../config/resolve_providers.ts";
import { RunError } from "./run_error.ts";

/** One model a run may call: its `provider/model` and that provider's settings. */
export interface ModelCandidate {
  ref: ModelRef;
  spec: ProviderSpec;
}

/** What a run talks to: the agent, its `provider/model`, that provider's settings, and its fallbacks. */
export interface RunTarget {
  agent: AgentSpec;
  ref: ModelRef;
  spec: ProviderSpec;
  /**
   * The models tried, in order, when the one before fails over: the agent's configured
   * fallbacks whose provider is declared or built in. None for a model the request or session chose: the
   * reference keeps an explicit selection strict.
   */
  fallbacks: ModelCandidate[];
}

/**
 * The first stage of a run: the agent and model it names, from the config in force. A run the
 * config cannot serve ends here with its own kind: `unknown_agent`, `no_model` (the agent's own
 * problem text when its model is misconfigured) or `unknown_model` (404, as the reference): a
 * provider neither declared nor built in (anthropic, openai).
 */
export function resolveRunTarget(
  config: AgentsConfig,
  request: { agentId: string; model?: ModelRef | undefined; fallbacks?: readonly ModelRef[] | undefined },
): RunTarget {
  const { agentId } = request;
  const agent = config.agents.find((a) => a.id === agentId);
  if (!agent) throw new RunError("unknown_agent", `Unknown agent '${agentId}'.`);
  const ref = request.model ?? agent.model;
  if (!ref) {
    throw new RunError(
      "no_model",
      agent.modelProblem ??
        `No model configured for agent ${agentId}. Set agents.defaults.model.primary to "provider/model".`,
    );
  }
  const spec = providerSpecOf(config, ref.provider);
  if (!spec) {
    throw new RunError(
      "unknown_model",
      `Unknown model: ${ref.provider}/${ref.model}. Declare the provider under models.providers.${ref.provider}.`,
      { status: 404 },
    );
  }
  const fallbacks = (request.fallbacks ?? (request.model ? [] : agent.fallbacks)).flatMap((fallback) => {
    const fallbackSpec = providerSpecOf(config, fallback.provider);
    return fallbackSpec ? [{ ref: fallback, spec: fallbackSpec }] : [];
  });
  return { agent, ref, spec, fallbacks };
}

/**
 * Makes sure the agent's workspace exists (private, 0700) before its first run; `known` remembers
 * the ones this process made, because a `mkdir` per run cost more than the rest of the setup.
 */
export async function ensureWorkspace(known: Set<string>, workspace: string): Promise<void> {
  if (known.has(workspace)) return;
  await Deno.mkdir(workspace, { recursive: true, mode: 0o700 });
  known.add(workspace);
}
