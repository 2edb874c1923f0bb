// The model catalog the gateway publishes for `models.list`, as the reference OpenClaw 2026.9.6
// gateway publishes it when its provider discovery cannot run (recorded offline:
// tests/fixtures/model_catalog/gateway_models_list.json). Differs from the CLI's local list
// (model_catalog_view.ts), which holds a built-in model's static row only when the config names it:
// - the configured rows (`models.providers.<id>.models[]`) come first and win by key;
// - a built-in provider whose key resolves would be discovered; here, as there when discovery fails,
//   each of its manifest rows is published as a starter, and its outcome is `unavailable`;
// - a model the config names on a built-in provider gets its manifest row, or the row the provider
//   resolves beyond its manifest (built_in_model_traits.ts), whether or not its key resolves.
// The manifest rows and the key resolution are the CLI's (built_in_catalog.ts). Pure: config in, rows out.
import { type BuiltInAuth, type BuiltInRef, builtInRowsFor } from "./built_in_catalog.ts";
import { BUILT_IN_MODEL_CATALOG, type BuiltInModel, PLUGIN_PROVIDER_IDS } from "./built_in_model_catalog.ts";
import { builtInProvider } from "./built_in_providers.ts";
import { beyondManifestModel, type BuiltInThinking, builtInTraits } from "./built_in_model_traits.ts";
import { defaultRef, isLocalBaseUrl, providerRoutes } from "./model_catalog_view.ts";
import { providerUtilityModel } from "./model_status_defaults.ts";
import { resolveModels } from "./resolve_agents.ts";
import type { RawConfig } from "./schema.ts";

/** One published model: the row's facts, where it is served from, and what its provider plugin adds. */
export interface PublishedModel {
  provider: string;
  id: string;
  name: string;
  input?: readonly string[];
  contextWindow?: number;
  contextTokens?: number;
  /** Whether the endpoint the row is served from is on this machine, when the endpoint is known. */
  local?: boolean;
  reasoning: boolean;
  available: boolean;
  /** The provider plugin's thinking profile, when it has one (else the generic reasoning rule applies). */
  thinking?: BuiltInThinking;
  /** Whether fast mode applies, when the provider's policy can tell. */
  supportsFastMode?: boolean;
}

/** How a provider's catalog refresh went: offline, a discovered provider is always `unavailable`. */
export interface ProviderOutcome {
  provider: string;
  profileId?: string;
  status: "unavailable";
}

/** The published catalog, the refresh outcome of each provider discovery would have asked, the utility preview. */
export interface PublishedCatalog {
  models: PublishedModel[];
  /**
   * The `provider-config` view's rows: the models the config authors under `models.providers.<id>.models[]`,
   * in config order (the reference's provider inventory; offline, discovery adds none).
   */
  providerInventory: PublishedModel[];
  /** The provider ids `models.list` accepts as `provider`: the plugins', the configured ones, the catalog's (lower case). */
  knownProviders: string[];
  outcomes: ProviderOutcome[];
  /** The utility model the defaults' model brings (its provider's manifest default), else null. */
  automaticUtilityModel: string | null;
}

function starterRow(
  provider: string,
  model: BuiltInModel,
  options: { auth: BuiltInAuth; baseUrl: string },
): PublishedModel {
  const traits = builtInTraits(provider, model.id);
  const source = options.auth.source?.(provider);
  // The plugin's fast-mode policy answers only for an API key; this gateway sends nothing else.
  const fastMode = traits && source !== undefined ? { supportsFastMode: traits.fastModeWithApiKey } : {};
  return {
    provider,
    id: model.id,
    name: model.name,
    input: model.input,
    contextWindow: model.contextWindow,
    ...(model.contextTokens !== undefined ? { contextTokens: model.contextTokens } : {}),
    local: isLocalBaseUrl(options.baseUrl),
    reasoning: model.reasoning === true,
    available: source !== undefined,
    ...(traits ? { thinking: traits.thinking } : {}),
    ...fastMode,
  };
}

/**
 * The catalog for one agent: the configured rows, every manifest row of each built-in provider whose
 * key resolves (with its `unavailable` outcome, naming the profile the key came from), then the
 * built-in models `named` (the agent's default, fallbacks and configured keys) not listed yet.
 */
export function publishedCatalog(
  config: RawConfig,
  options: { auth: BuiltInAuth; named: readonly BuiltInRef[] },
): PublishedCatalog {
  const routes = providerRoutes(config);
  const baseUrls = new Map([...routes].map(([id, route]) => [id, route.baseUrl]));
  const models: PublishedModel[] = resolveModels(config).map((entry) => {
    const baseUrl = routes.get(entry.provider.toLowerCase())?.baseUrl;
    return {
      provider: entry.provider,
      id: entry.id,
      name: entry.name,
      ...(entry.input?.length ? { input: entry.input } : {}),
      ...(entry.contextWindow !== undefined ? { contextWindow: entry.contextWindow } : {}),
      ...(entry.contextTokens !== undefined ? { contextTokens: entry.contextTokens } : {}),
      ...(baseUrl !== undefined ? { local: isLocalBaseUrl(baseUrl) } : {}),
      reasoning: entry.reasoning,
      available: entry.available,
    };
  });
  const providerInventory = [...models];
  const listed = new Set(models.map((m) => `${m.provider.toLowerCase()}/${m.id}`));
  const outcomes: ProviderOutcome[] = [];
  for (const [provider, catalog] of Object.entries(BUILT_IN_MODEL_CATALOG)) {
    const source = options.auth.source?.(provider);
    if (source === undefined) continue;
    outcomes.push({
      provider,
      ...(source.startsWith("profile:") ? { profileId: source.slice("profile:".length) } : {}),
      status: "unavailable",
    });
    const refs = catalog.models.map((model) => ({ provider, model: model.id }));
    for (const row of builtInRowsFor(refs, { configuredKeys: listed, baseUrls })) {
      models.push(starterRow(provider, row, { auth: options.auth, baseUrl: row.baseUrl }));
      listed.add(`${provider}/${row.id}`);
    }
  }
  for (const ref of options.named) {
    const key = `${ref.provider}/${ref.model}`;
    const provider = builtInProvider(ref.provider);
    if (listed.has(key) || !provider) continue;
    const model = builtInRowsFor([ref], { configuredKeys: listed, baseUrls })[0] ??
      beyondManifestModel(ref.provider, ref.model);
    if (!model) continue;
    const baseUrl = baseUrls.get(ref.provider) ?? provider.baseUrl;
    models.push(starterRow(ref.provider, model, { auth: options.auth, baseUrl }));
    listed.add(key);
  }
  const utility = providerUtilityModel(defaultRef(config));
  const knownProviders = new Set([
    ...PLUGIN_PROVIDER_IDS,
    ...Object.keys(config.models?.providers ?? {}),
    ...models.map((m) => m.provider),
  ].map((id) => id.trim().toLowerCase()));
  return {
    models,
    providerInventory,
    knownProviders: [...knownProviders],
    outcomes: outcomes.sort((a, b) => a.provider.localeCompare(b.provider)),
    automaticUtilityModel: utility ? `${utility.provider}/${utility.model}` : null,
  };
}
