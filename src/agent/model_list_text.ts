// The `/model list` (the reference's `/models`) replies: the configured providers with their model
// counts, or one provider's models, in the reference's wording and layout (one page: all of them).
import type { ModelEntry } from "../config/resolve_agents.ts";

function byProvider(models: readonly ModelEntry[]): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const model of models) grouped.set(model.provider, [...(grouped.get(model.provider) ?? []), model.id]);
  return new Map([...grouped.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/** The reply to `/model list [provider]`: the providers menu, or the models of one provider. */
export function modelListText(models: readonly ModelEntry[], provider: string | undefined): string {
  const grouped = byProvider(models);
  if (!provider) {
    return [
      "Providers:",
      ...[...grouped.entries()].map(([id, ids]) => `- ${id} (${ids.length})`),
      "",
      "Use: /models <provider>",
      "Switch: /model <provider/model>",
    ].join("\n");
  }
  const ids = grouped.get(provider);
  if (!ids) {
    return [
      `Unknown provider: ${provider}`,
      "",
      "Available providers:",
      ...[...grouped.keys()].map((id) => `- ${id}`),
      "",
      "Use: /models <provider>",
    ].join("\n");
  }
  const sorted = [...ids].sort();
  return [
    `Models (${provider}) — showing 1-${sorted.length} of ${sorted.length} (page 1/1)`,
    ...sorted.map((id) => `- ${provider}/${id}`),
    "",
    "Switch: /model <provider/model>",
  ].join("\n");
}
