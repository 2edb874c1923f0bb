// The built-in providers' static model catalog (built_in_model_catalog.ts, facts from the reference's
// bundled plugin manifests) as `models list` and alias resolution read it, with the reference's merge
// rules (recorded against OpenClaw 2026.9.6, tests/fixtures/model_catalog/):
// - its local catalog holds a built-in model's static row only when the config names the model (the
//   default, fallbacks, image models, `agents.defaults.models` keys after the Anthropic API-key
//   defaults); the rest of a built-in catalog is discovered online (`--refresh`), never offline;
// - a `models.providers.<id>.models[]` row for the same key wins (the configured catalog comes first);
// - a model the manifest does not list gets no row (`anthropic/claude-sonnet-4-6` after onboard).
// Pure: a config and refs in, rows out.
import { BUILT_IN_MODEL_CATALOG, type BuiltInModel } from "./built_in_model_catalog.ts";
import { builtInProvider } from "./built_in_providers.ts";
import {
  authSection,
  type CredentialSource,
  type ProfileStore,
  resolveProviderCredential,
} from "./provider_credentials.ts";
import type { RawConfig } from "./schema.ts";

/** A `provider/model` reference (provider lowercased). */
export interface BuiltInRef {
  provider: string;
  model: string;
}

/** One static row of a built-in provider, with its provider and the endpoint it is served from. */
export interface BuiltInRow extends BuiltInModel {
  provider: string;
  baseUrl: string;
}

/** What the catalog views know of a provider's auth: whether its key resolves, and from where. */
export interface BuiltInAuth {
  available(provider: string): boolean;
  /** Where the key a run would send comes from (`profile:<id>`, `env: <VAR>`, `models.json`), if any. */
  source?(provider: string): CredentialSource["source"] | undefined;
}

/** The manifest row of a built-in provider's model, if its static catalog lists it. */
export function builtInModel(provider: string, id: string): BuiltInModel | undefined {
  const catalog = Object.hasOwn(BUILT_IN_MODEL_CATALOG, provider) ? BUILT_IN_MODEL_CATALOG[provider] : undefined;
  return catalog?.models.find((model) => model.id === id);
}

/**
 * A model id through a built-in provider's own id aliases (`anthropic`'s `sonnet` → `claude-sonnet-5`,
 * any case), as the reference normalizes `provider/<alias>`; any other id as given.
 */
export function normalizeBuiltInModelId(provider: string, id: string): string {
  const catalog = Object.hasOwn(BUILT_IN_MODEL_CATALOG, provider) ? BUILT_IN_MODEL_CATALOG[provider] : undefined;
  const aliases = catalog?.aliases ?? {};
  const hit = Object.keys(aliases).find((alias) => alias.toLowerCase() === id.trim().toLowerCase());
  return hit !== undefined ? aliases[hit]! : id;
}

/**
 * The static rows for the refs a config names, once per key in the order given, leaving out keys the
 * configured catalog already has (`configuredKeys`) and models no built-in manifest lists. A
 * `models.providers.<id>.baseUrl` (`baseUrls`) moves where the row is served from.
 */
export function builtInRowsFor(
  refs: readonly BuiltInRef[],
  options: { configuredKeys: ReadonlySet<string>; baseUrls: ReadonlyMap<string, string | undefined> },
): BuiltInRow[] {
  const rows = new Map<string, BuiltInRow>();
  for (const ref of refs) {
    const key = `${ref.provider}/${ref.model}`;
    const provider = builtInProvider(ref.provider);
    if (!provider || rows.has(key) || options.configuredKeys.has(key)) continue;
    const model = builtInModel(ref.provider, ref.model);
    if (!model) continue;
    rows.set(key, {
      ...model,
      provider: ref.provider,
      baseUrl: options.baseUrls.get(ref.provider) ?? provider.baseUrl,
    });
  }
  return [...rows.values()];
}

/**
 * Whether a provider's key resolves as a run would find it (a stored profile, its variable, a
 * configured key). `store()` is called once, when first needed. This gateway sends API keys only,
 * so a provider with only an OAuth or token profile is not available here.
 */
export function keyAvailability(
  config: RawConfig,
  sources: { store: () => ProfileStore; env: (name: string) => string | undefined },
): BuiltInAuth {
  let store: ProfileStore | undefined;
  const providers = config.models?.providers ?? {};
  const source = (provider: string) => {
    const entry = Object.entries(providers).find(([id]) => id.toLowerCase() === provider)?.[1];
    const result = resolveProviderCredential({
      provider,
      config: {
        provider: {
          apiKey: typeof entry?.apiKey === "string" ? entry.apiKey : undefined,
          auth: typeof entry?.auth === "string" ? entry.auth : undefined,
        },
        ...authSection(config as Record<string, unknown>),
      },
      store: () => store ??= sources.store(),
      env: sources.env,
      now: Date.now(),
    });
    return "apiKey" in result ? result.source : undefined;
  };
  return { available: (provider) => source(provider) !== undefined, source };
}
