// A built-in provider's model as the session views and runs look it up when the config does not
// configure it (`models.providers.<id>.models[]` wins): its window from the manifest row, its thinking
// profile from the provider plugin (built_in_model_traits.ts). Loaded on a session read or a run, never
// at gateway start (tests/integration/start_path_test.ts): the catalog is generated data.
import { builtInModel } from "./built_in_catalog.ts";
import { beyondManifestModel, builtInTraits } from "./built_in_model_traits.ts";
import type { ModelEntry } from "./resolve_agents.ts";

/**
 * The entry of a built-in provider's model (`anthropic/claude-opus-5`): the manifest's window, or its
 * runtime cap when it has one, as the reference's session context budget; undefined for any other model.
 */
export function builtInModelEntry(ref: { provider: string; model: string }): ModelEntry | undefined {
  const row = builtInModel(ref.provider, ref.model) ?? beyondManifestModel(ref.provider, ref.model);
  if (!row) return undefined;
  const traits = builtInTraits(ref.provider, row.id);
  return {
    id: row.id,
    name: row.name,
    provider: ref.provider,
    contextWindow: row.contextWindow,
    ...(row.contextTokens !== undefined ? { contextTokens: row.contextTokens } : {}),
    reasoning: row.reasoning === true,
    available: true,
    input: [...row.input],
    ...(traits
      ? { thinking: { levels: [...traits.thinking.levels], defaultLevel: traits.thinking.defaultLevel } }
      : {}),
  };
}
