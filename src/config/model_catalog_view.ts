// The configured model catalog as `openclaw models list|status` show it (recorded against the
// reference OpenClaw 2026.9.6): rows from `models.providers.<id>.models[]` (resolveModels), the role
// tags a model plays (default, fallback#n, image, img-fallback#n, configured), the allowlist
// (`agents.defaults.models`, `provider/*` wildcards included) and whether a route's auth is ready.
// Pure: a config in, views out.
import { isJsonObject } from "../log/json_object.ts";
import { REFERENCE_DEFAULT_MODEL } from "./model_selection.ts";
import { policyEntries } from "./model_policy.ts";
import { type ModelEntry, resolveModels } from "./resolve_agents.ts";
import { isLoopbackHost } from "./resolve_listen.ts";
import { type BuiltInAuth, type BuiltInRow, builtInRowsFor } from "./built_in_catalog.ts";
import { BUILT_IN_MODEL_CATALOG } from "./built_in_model_catalog.ts";
import type { RawConfig } from "./schema.ts";

/** The context window the reference assumes for a configured model that names none. */
const DEFAULT_CONTEXT_WINDOW = 128_000;

/** A `provider/model` reference. */
export interface CatalogRef {
  provider: string;
  model: string;
}

/** One row of `models list` as its JSON prints it (key order kept). */
export interface CatalogRow {
  key: string;
  name: string;
  input: string;
  contextWindow: number | null;
  contextTokens?: number;
  local: boolean | null;
  available: boolean | null;
  tags: string[];
}

function record(value: unknown): Record<string, unknown> {
  return isJsonObject(value) ? value : {};
}

function defaults(config: RawConfig): Record<string, unknown> {
  return record(record(config.agents).defaults);
}

/** `primary` of a defaults field written as a string or `{primary, fallbacks}`. */
export function primaryOf(value: unknown): string {
  const text = typeof value === "string" ? value : record(value).primary;
  return typeof text === "string" ? text.trim() : "";
}

/** `fallbacks` of a defaults field (strings only, as written). */
export function fallbackList(value: unknown): string[] {
  const list = record(value).fallbacks;
  return Array.isArray(list) ? list.filter((v): v is string => typeof v === "string" && v.trim() !== "") : [];
}

/** The reference's isLocalBaseUrl: loopback, `localhost`, the unspecified address or `.local`. */
export function isLocalBaseUrl(baseUrl: string): boolean {
  try {
    const host = new URL(baseUrl).hostname.toLowerCase().replace(/^\[|\]$/g, "");
    return isLoopbackHost(host) || host === "0.0.0.0" || host === "::" || host.endsWith(".local");
  } catch {
    return false;
  }
}

/** A configured provider's route facts: where it listens and whether a key resolved. */
export interface ProviderRoute {
  baseUrl: string | undefined;
  apiKey: string | undefined;
}

/** `models.providers` of the (substituted) config, by lowercased id. */
export function providerRoutes(config: RawConfig): Map<string, ProviderRoute> {
  const out = new Map<string, ProviderRoute>();
  for (const [id, value] of Object.entries(record(record(config.models).providers))) {
    const spec = record(value);
    out.set(id.toLowerCase(), {
      baseUrl: typeof spec.baseUrl === "string" ? spec.baseUrl : undefined,
      apiKey: typeof spec.apiKey === "string" && spec.apiKey.trim() !== "" ? spec.apiKey : undefined,
    });
  }
  return out;
}

/**
 * Whether a route's auth is ready, as the reference evaluates a configured provider: a local
 * endpoint needs none, a key makes it ready, and a remote endpoint without one is unknown (null).
 */
export function routeAvailability(route: ProviderRoute | undefined): boolean | null {
  if (!route) return null;
  if (route.baseUrl !== undefined && isLocalBaseUrl(route.baseUrl)) return true;
  return route.apiKey !== undefined ? true : null;
}

/** Configured aliases in config order: alias → canonical key (`agents.defaults.models.<key>.alias`). */
export function aliasPairs(config: RawConfig): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [key, entry] of Object.entries(record(defaults(config).models))) {
    const alias = record(entry).alias;
    if (typeof alias === "string" && alias.trim()) pairs.push([alias.trim(), key]);
  }
  return pairs;
}

/**
 * Resolves a configured model string: an alias (any case), `provider/model` split on the first
 * `/`, or a bare id on the one configured provider listing it (else the reference's `openai`).
 */
export function resolveRef(config: RawConfig, raw: string): CatalogRef | undefined {
  const text = raw.trim();
  if (!text) return undefined;
  const alias = aliasPairs(config).find(([name]) => name.toLowerCase() === text.toLowerCase());
  const source = alias ? alias[1] : text;
  const slash = source.indexOf("/");
  if (slash === -1) {
    const owners = [...new Set(resolveModels(config).filter((m) => m.id === source).map((m) => m.provider))];
    const provider = owners.length === 1 ? owners[0]!.toLowerCase() : REFERENCE_DEFAULT_MODEL.provider;
    return { provider, model: source };
  }
  const provider = source.slice(0, slash).trim().toLowerCase();
  const model = source.slice(slash + 1).trim();
  return provider && model ? { provider, model } : undefined;
}

/** The resolved default model: the configured primary, else the reference's own default. */
export function defaultRef(config: RawConfig): CatalogRef {
  return resolveRef(config, primaryOf(defaults(config).model)) ?? { ...REFERENCE_DEFAULT_MODEL };
}

/**
 * The allowlist in force for the default scope (model_policy.ts): `agents.defaults.modelPolicy.allow`,
 * else the unmigrated legacy `agents.defaults.models` keys (wildcards `provider/*` included).
 */
export function allowlist(config: RawConfig): string[] {
  return policyEntries(config).refs.filter((key) => key.trim() !== "");
}

/** The `agents.defaults.models` keys as written: the models the config names (the `configured` tag). */
export function modelMapKeys(config: RawConfig): string[] {
  return Object.keys(record(defaults(config).models)).filter((key) => key.trim() !== "");
}

/** Whether `key` is allowed by the list (an empty list allows all). */
export function allowedBy(list: readonly string[], key: string): boolean {
  if (list.length === 0) return true;
  return list.some((entry) => entry.endsWith("/*") ? key.startsWith(entry.slice(0, -1)) : entry === key);
}

/** Role tags by model key, in the reference's order (default, fallbacks, image, image fallbacks, configured). */
export function roleTags(config: RawConfig): Map<string, string[]> {
  const tags = new Map<string, string[]>();
  const add = (ref: CatalogRef | undefined, tag: string) => {
    if (!ref) return;
    const key = `${ref.provider}/${ref.model}`;
    const list = tags.get(key) ?? [];
    if (!list.includes(tag)) list.push(tag);
    tags.set(key, list);
  };
  const d = defaults(config);
  add(defaultRef(config), "default");
  fallbackList(d.model).forEach((raw, i) => add(resolveRef(config, raw), `fallback#${i + 1}`));
  const image = primaryOf(d.imageModel);
  if (image) add(resolveRef(config, image), "image");
  fallbackList(d.imageModel).forEach((raw, i) => add(resolveRef(config, raw), `img-fallback#${i + 1}`));
  for (const key of modelMapKeys(config)) if (!key.trim().endsWith("/*")) add(resolveRef(config, key), "configured");
  return tags;
}

function compareRows(a: Pick<ModelEntry, "provider" | "id">, b: Pick<ModelEntry, "provider" | "id">): number {
  return a.provider.toLowerCase().localeCompare(b.provider.toLowerCase()) || a.id.localeCompare(b.id);
}

/** Thrown for a `--provider` no configured provider answers to (the reference's words). */
export class UnknownCatalogProvider extends Error {
  constructor() {
    super("Unknown model catalog provider. Use a provider id from the installed plugins or configured providers.");
    this.name = "UnknownCatalogProvider";
  }
}

/**
 * The providers `--provider` may name beyond the configured ones: the built-in providers and the
 * reference's Claude CLI runtime, whose rows are not listed here (docs/compatibility.md).
 */
const KNOWN_CATALOG_PROVIDERS = new Set([...Object.keys(BUILT_IN_MODEL_CATALOG), "claude-cli"]);

/**
 * The built-in static rows the default view shows (built_in_catalog.ts): the models the config names;
 * under an allowlist those it allows, else those whose provider's key resolves and the default and
 * fallbacks (which the reference keeps listed without auth).
 */
function builtInRows(
  config: RawConfig,
  tags: Map<string, string[]>,
  options: {
    known: ReadonlySet<string>;
    list: readonly string[];
    routes: Map<string, ProviderRoute>;
    auth?: BuiltInAuth;
  },
): BuiltInRow[] {
  // The models the config names: the reference's own default, when none is written, is not one.
  const writesDefault = primaryOf(defaults(config).model) !== "";
  const named = [...tags].filter(([, roles]) => writesDefault || roles.some((role) => role !== "default"));
  const refs = named.map(([key]) => resolveRef(config, key)).filter((ref) => ref !== undefined);
  const baseUrls = new Map([...options.routes].map(([id, route]) => [id, route.baseUrl]));
  const retained = new Set(
    [...tags].filter(([, roles]) => roles.some((role) => role === "default" || role.startsWith("fallback#")))
      .map(([key]) => key),
  );
  return builtInRowsFor(refs, { configuredKeys: options.known, baseUrls }).filter((row) => {
    const key = `${row.provider}/${row.id}`;
    if (options.list.length > 0) return allowedBy(options.list, key);
    return options.auth?.available(row.provider) === true || retained.has(key);
  });
}

/**
 * The rows `models list` shows: every configured model with `all` or a provider filter, else those
 * the allowlist admits (all when it is empty) and the built-in static rows of the models the config
 * names; sorted by provider, then model id. `config` is the config as the reference sees it (its
 * Anthropic API-key defaults applied: model_status_defaults.ts).
 */
export function catalogRows(
  config: RawConfig,
  options: { all: boolean; provider?: string; auth?: BuiltInAuth },
): CatalogRow[] {
  const routes = providerRoutes(config);
  const provider = options.provider?.toLowerCase();
  if (provider !== undefined && !routes.has(provider) && !KNOWN_CATALOG_PROVIDERS.has(provider)) {
    throw new UnknownCatalogProvider();
  }
  const tags = roleTags(config);
  const aliases = aliasPairs(config);
  const list = options.all || provider !== undefined ? [] : allowlist(config);
  const catalog = resolveModels(config)
    .filter((m) => provider === undefined || m.provider.toLowerCase() === provider)
    .map((m) => ({ ...m, provider: m.provider.toLowerCase() }));
  const known = new Set(catalog.map((m) => `${m.provider}/${m.id}`));
  // The reference's local catalog has a built-in model's static row only in the default view;
  // `--all` and `--provider` list what discovery found, and nothing is discovered offline (recorded).
  const statics = options.all || provider !== undefined
    ? []
    : builtInRows(config, tags, { known, list, routes, auth: options.auth });
  for (const row of statics) known.add(`${row.provider}/${row.id}`);
  // A model the allowlist names that the catalog lacks is still a row: its id as its name, no
  // input or window known (the reference's configured-but-undiscovered row).
  const missing = list.filter((entry) => !entry.endsWith("/*")).map((entry) => resolveRef(config, entry))
    .filter((ref): ref is CatalogRef => ref !== undefined && !known.has(`${ref.provider}/${ref.model}`));
  // One row per key, the first one listed.
  type Listed = ModelEntry | BuiltInRow | { provider: string; id: string; missing: true };
  const byKey = new Map<string, Listed>();
  for (
    const m of [
      ...catalog.filter((m) => allowedBy(list, `${m.provider}/${m.id}`)),
      ...statics,
      ...missing.map((ref) => ({ provider: ref.provider, id: ref.model, missing: true as const })),
    ]
  ) if (!byKey.has(`${m.provider}/${m.id}`)) byKey.set(`${m.provider}/${m.id}`, m);
  return [...byKey.values()]
    .sort(compareRows)
    .map((m) => {
      const key = `${m.provider}/${m.id}`;
      const route = routes.get(m.provider);
      const alias = aliases.filter(([, target]) => target === key).at(-1)?.[0];
      const roles = [...new Set([...(tags.get(key) ?? []), ...(alias ? [`alias:${alias}`] : [])])];
      if ("missing" in m) {
        return {
          key,
          name: m.id,
          input: "-",
          contextWindow: null,
          local: null,
          available: routeAvailability(route),
          tags: roles,
        };
      }
      if ("baseUrl" in m) {
        return {
          key,
          name: m.name,
          input: m.input.join("+"),
          contextWindow: m.contextWindow,
          ...(m.contextTokens !== undefined ? { contextTokens: m.contextTokens } : {}),
          local: isLocalBaseUrl(m.baseUrl),
          available: options.auth?.available(m.provider) ?? null,
          tags: roles,
        };
      }
      return {
        key,
        name: m.name,
        input: (m.input?.length ? m.input : ["text"]).join("+"),
        contextWindow: m.contextWindow ?? DEFAULT_CONTEXT_WINDOW,
        ...(m.contextTokens !== undefined ? { contextTokens: m.contextTokens } : {}),
        local: route?.baseUrl !== undefined ? isLocalBaseUrl(route.baseUrl) : null,
        available: routeAvailability(route),
        tags: roles,
      };
    });
}
