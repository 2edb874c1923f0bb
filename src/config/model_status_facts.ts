// What `openclaw models status` reads from the config (recorded against the reference 2026.9.6):
// the default model as written and resolved, the fallback and image lists, the model refs in use,
// the allowlist as the reference expands it, aliases, and each configured provider's route facts.
import { isJsonObject } from "../log/json_object.ts";
import {
  allowedBy,
  allowlist,
  type CatalogRef,
  defaultRef,
  fallbackList,
  primaryOf,
  type ProviderRoute,
  providerRoutes,
  resolveRef,
} from "./model_catalog_view.ts";
import { providerUtilityModel, referenceAliases } from "./model_status_defaults.ts";
import { resolveModels } from "./resolve_agents.ts";
import type { RawConfig } from "./schema.ts";

/** The model facts of one config, as `models status` reports them. */
export interface ModelStatusFacts {
  /** `agents.defaults.model.primary` as written ("" when unset). */
  rawDefault: string;
  resolvedDefault: CatalogRef;
  fallbacks: string[];
  imageModel: string;
  imageFallbacks: string[];
  /** The refs the default, fallbacks, image model and image fallbacks resolve to, in that order. */
  uses: CatalogRef[];
  /** The allowlist expanded over the configured catalog, sorted (empty: all allowed). */
  allowed: string[];
  aliases: [string, string][];
  routes: Map<string, ProviderRoute>;
  /** Whether `agents.defaults.utilityModel` is written (a setting this gateway does not serve). */
  utilityConfigured: boolean;
  /** The utility model the default's bundled provider brings when none is written. */
  utilityDefault: CatalogRef | undefined;
}

function record(value: unknown): Record<string, unknown> {
  return isJsonObject(value) ? value : {};
}

/** Reads the model facts of `config` (substituted); `env` decides the reference's Anthropic defaults. */
export function modelStatusFacts(
  config: RawConfig,
  env: (name: string) => string | undefined = () => undefined,
): ModelStatusFacts {
  const d = record(record(config.agents).defaults);
  const resolvedDefault = defaultRef(config);
  const rawDefault = primaryOf(d.model);
  const fallbacks = fallbackList(d.model);
  const imageModel = primaryOf(d.imageModel);
  const imageFallbacks = fallbackList(d.imageModel);
  const uses = [
    rawDefault || `${resolvedDefault.provider}/${resolvedDefault.model}`,
    ...fallbacks,
    imageModel,
    ...imageFallbacks,
  ]
    .map((raw) => resolveRef(config, raw)).filter((ref): ref is CatalogRef => ref !== undefined);
  const list = allowlist(config);
  const keys = resolveModels(config).map((m) => `${m.provider.toLowerCase()}/${m.id}`);
  // A wildcard nothing in the catalog matches stays listed as written, as does a model the
  // allowlist names that the catalog lacks (the reference's allowed list).
  const allowed = list.length === 0 ? [] : [
    ...new Set([
      ...keys.filter((k) => allowedBy(list, k)),
      ...list.filter((w) => !w.endsWith("/*")).map((w) => resolveRef(config, w)).filter((ref) => ref !== undefined)
        .map((ref) => `${ref.provider}/${ref.model}`),
      ...list.filter((w) => w.endsWith("/*") && !keys.some((k) => k.startsWith(w.slice(0, -1)))),
    ]),
  ].sort();
  return {
    rawDefault,
    resolvedDefault,
    fallbacks,
    imageModel,
    imageFallbacks,
    uses,
    allowed,
    aliases: referenceAliases(config, env),
    routes: providerRoutes(config),
    utilityConfigured: d.utilityModel !== undefined,
    utilityDefault: d.utilityModel === undefined ? providerUtilityModel(resolvedDefault) : undefined,
  };
}
