import type { RawConfig } from "../../config/schema.ts";
import type { MethodTable } from "../registry.ts";

/** One entry of `models.list`. */
export interface ModelEntry {
  id: string;
  name: string;
  provider: string;
  contextWindow?: number;
  reasoning: boolean;
  available: boolean;
}

/**
 * The models configured under `models.providers.<id>.models[]`, as OpenClaw configs write them
 * (a model is a string id or `{id, name?, contextWindow?, reasoning?}`).
 */
export function configuredModels(config: RawConfig): ModelEntry[] {
  const providers = (config as { models?: { providers?: Record<string, unknown> } }).models?.providers ?? {};
  const out: ModelEntry[] = [];
  for (const [provider, spec] of Object.entries(providers)) {
    const models = (spec as { models?: unknown[] } | null)?.models;
    if (!Array.isArray(models)) continue;
    for (const model of models) {
      if (typeof model === "string") {
        out.push({ id: model, name: model, provider, reasoning: false, available: true });
      } else if (model && typeof model === "object" && typeof (model as { id?: unknown }).id === "string") {
        const m = model as { id: string; name?: string; contextWindow?: number; reasoning?: boolean };
        const entry: ModelEntry = {
          id: m.id,
          name: typeof m.name === "string" ? m.name : m.id,
          provider,
          reasoning: m.reasoning === true,
          available: true,
        };
        if (typeof m.contextWindow === "number") entry.contextWindow = m.contextWindow;
        out.push(entry);
      }
    }
  }
  return out;
}

/** Dependencies of `models.list`. */
export interface ModelsDeps {
  config(): RawConfig;
}

/** `models.list`: what the running config makes available. */
export function modelsMethods(deps: ModelsDeps): MethodTable {
  return {
    "models.list": {
      scope: "operator.read",
      validator: "validateModelsListParams",
      handler: () => ({ models: configuredModels(deps.config()) }),
    },
  };
}
