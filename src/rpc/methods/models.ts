import type { AgentsConfig, AgentSpec, ModelRef } from "../../agent/agents_config.ts";
import type { ModelEntry } from "../../config/resolve.ts";
import { type MethodTable, validated } from "../registry.ts";
import { RpcError } from "../errors.ts";
import { targetOf } from "./agent.ts";
import { thinkingView } from "../../agent/thinking_level.ts";
import { type ModelPolicy, openModelPolicy, policyAllows, visibleModels } from "../../config/model_policy.ts";
import {
  authHealth,
  authProviderOf,
  envKeyFor,
  envProviders,
  type ProfileHealth,
} from "../../config/model_status_auth.ts";
import { authSection, type ProfileStore } from "../../config/provider_credentials.ts";
import type { PolicyRef } from "../../config/model_policy.ts";
import type { PublishedCatalog, PublishedModel } from "../../config/published_model_catalog.ts";

/** One entry of `models.list` (resolved from `models.providers.<id>.models[]` by config/). */
export type { ModelEntry };

/** Dependencies of `models.list` and `models.authStatus`. */
export interface ModelsDeps {
  /** The models of the resolved config in force. */
  models(): readonly ModelEntry[];
  /** Agents and providers of the config in force. */
  agents(): AgentsConfig;
  /** The auth-profile store onboard writes, read now (throws the store's own error when unreadable). */
  authProfiles?(): Promise<ProfileStore>;
  /** The gateway's environment (provider key variables). */
  env?(name: string): string | undefined;
  /** The config in force as written (its `auth` section orders and declares profiles). */
  rawConfig?(): Readonly<Record<string, unknown>>;
  /**
   * The catalog the gateway publishes (config/published_model_catalog.ts), with the built-in models
   * the agent names; loaded on request, never at start. Without it, the configured rows only.
   */
  catalog?(named: readonly PolicyRef[]): Promise<PublishedCatalog>;
}

/** The roles an agent gives models: tags by `provider/model` key and the alias each goes by. */
export interface ModelRoles {
  tags: Map<string, string[]>;
  aliases: Map<string, string>;
}

/**
 * An agent's model roles as the reference's models.list tags them: `default`, `fallback#<n>`, then
 * `configured` for the models its model maps name; the alias is the last one configured for a key.
 */
export function agentModelRoles(agent: AgentSpec | undefined): ModelRoles {
  const tags = new Map<string, string[]>();
  const add = (key: string, tag: string) => {
    const list = tags.get(key) ?? [];
    if (!list.includes(tag)) tags.set(key, [...list, tag]);
  };
  if (agent?.model) add(`${agent.model.provider.toLowerCase()}/${agent.model.model}`, "default");
  agent?.fallbacks.forEach((ref, i) => add(`${ref.provider.toLowerCase()}/${ref.model}`, `fallback#${i + 1}`));
  for (const key of agent?.modelPolicy?.configured ?? []) add(key, "configured");
  const aliases = new Map(
    (agent?.modelPolicy?.aliases ?? []).map((a) => [`${a.ref.provider}/${a.ref.model}`, a.alias]),
  );
  return { tags, aliases };
}

/** What `models.list` lists from: the published catalog, or (without one) the configured rows alone, any provider accepted. */
type ListedCatalog = Pick<PublishedCatalog, "outcomes" | "automaticUtilityModel"> & {
  models: readonly ListedModel[];
  providerInventory: readonly ListedModel[];
  knownProviders?: readonly string[];
};

/** A row `models.list` and `chat.metadata` list: a configured entry or a published one. */
export type ListedModel =
  & Pick<ModelEntry, "id" | "name" | "provider" | "contextWindow" | "reasoning" | "available">
  & Partial<Pick<PublishedModel, "input" | "contextTokens" | "local" | "thinking" | "supportsFastMode">>;

/** How `models.list` projects a row: details (`includeDetails`) and the caller's manual-choice permission. */
export interface ModelViewOptions {
  details?: boolean;
  /** `input` even without details (the `provider-config` view's rows carry it), after the thinking fields. */
  input?: boolean;
  manualSelectionAllowed?: boolean;
}

/**
 * A model as the reference lists it: its alias, its role tags (`default` on the agent's own when no
 * roles are given), its thinking levels (the provider plugin's, else `reasoning` models offer the
 * base ones), fast mode when the provider tells; `contextTokens`, `local` and `input` in details.
 */
export function modelView(
  entry: ListedModel,
  defaultRef: ModelRef | undefined,
  roles?: ModelRoles,
  options: ModelViewOptions = {},
): Record<string, unknown> {
  const key = `${entry.provider.toLowerCase()}/${entry.id}`;
  const isDefault = defaultRef?.provider === entry.provider && defaultRef.model === entry.id;
  const tags = roles ? roles.tags.get(key) : isDefault ? ["default"] : undefined;
  const alias = roles?.aliases.get(key);
  const generic = thinkingView(entry);
  const details = options.details === true;
  return {
    id: entry.id,
    name: entry.name,
    provider: entry.provider,
    ...(alias ? { alias } : {}),
    ...(entry.contextWindow !== undefined ? { contextWindow: entry.contextWindow } : {}),
    ...(details && entry.contextTokens !== undefined ? { contextTokens: entry.contextTokens } : {}),
    ...(details && entry.local !== undefined ? { local: entry.local } : {}),
    ...(details && entry.input?.length ? { input: entry.input } : {}),
    reasoning: entry.reasoning,
    ...(tags?.length ? { tags } : {}),
    thinkingLevels: entry.thinking?.levels.map((id) => ({ id, label: id })) ?? generic.thinkingLevels,
    thinkingDefault: entry.thinking?.defaultLevel ?? generic.thinkingDefault,
    ...(!details && options.input && entry.input?.length ? { input: entry.input } : {}),
    ...(options.manualSelectionAllowed !== undefined ? { manualSelectionAllowed: options.manualSelectionAllowed } : {}),
    ...(entry.supportsFastMode !== undefined ? { supportsFastMode: entry.supportsFastMode } : {}),
    available: entry.available,
  };
}

/** A model the policy or the config names that no catalog lists: its id alone. */
function idOnly(ref: PolicyRef): ListedModel {
  return { id: ref.model, name: ref.model, provider: ref.provider, reasoning: false, available: true };
}

/**
 * The rows a picker sees (the reference's default and configured views): under a restricting policy
 * the catalog rows it allows, an allowed model the catalog lacks listed by its id alone; else every
 * row, and the configured models no catalog lists by their ids. `view: "all"` browses the catalog.
 */
export function visibleRows(
  catalog: readonly ListedModel[],
  options: { policy: ModelPolicy | undefined; configured: readonly string[]; all: boolean },
): ListedModel[] {
  if (options.all) return [...catalog];
  const rows = catalog.map((entry) => ({ ...entry, model: entry.id }));
  const keyOf = (r: PolicyRef) => `${r.provider.toLowerCase()}/${r.model}`;
  if (options.policy && !options.policy.allowAny) {
    return visibleModels(options.policy, rows).map((row) => "id" in row ? row : idOnly(row));
  }
  const listed = new Set(rows.map(keyOf));
  const unlisted = options.configured.filter((key) => !listed.has(key)).map((key) => {
    const slash = key.indexOf("/");
    return idOnly({ provider: key.slice(0, slash), model: key.slice(slash + 1) });
  });
  return [...catalog, ...unlisted];
}

/**
 * The reference's refusal of a `provider` no installed plugin, configured provider or catalog row names
 * (its handler throws; the gateway answers UNAVAILABLE with the error as logged, `Error: ` included).
 */
export const UNKNOWN_PROVIDER =
  "Error: Unknown model catalog provider. Use a provider id from the installed plugins or configured providers.";

/** The client capability that asks `models.list` whether each row may be picked by hand (the Control UI's). */
export const MODEL_SELECTION_POLICY_CAP = "model-selection-policy";

/** The names the reference shows for a provider it knows a usage label for. */
const DISPLAY_NAMES: Readonly<Record<string, string>> = { anthropic: "Claude", "claude-cli": "Claude" };

/** One stored profile as `models.authStatus` lists it: every one here comes from the shared store (`inherited`). */
function profileView(profile: ProfileHealth, store: ProfileStore) {
  const stored = store.profiles[profile.profileId];
  return {
    profileId: profile.profileId,
    type: profile.type,
    status: profile.status,
    ...(profile.reasonCode ? { reasonCode: profile.reasonCode } : {}),
    source: "inherited",
    ...(profile.expiresAt !== undefined && profile.remainingMs !== undefined
      ? { expiry: { at: profile.expiresAt, remainingMs: profile.remainingMs } }
      : {}),
    // A key kept as a reference is not the store's to forget (the reference's logout rule).
    ...(stored && !(stored.type === "api_key" && stored.keyRef) ? { logoutSupported: true } : {}),
  };
}

/**
 * Each provider's auth as `models.authStatus` reports it (recorded against the reference 2026.9.6):
 * the declared providers (a key in the config, or none needed), the providers of stored profiles
 * with their health, and those whose key variable is set.
 */
function providerAuthList(deps: ModelsDeps, store: ProfileStore, now: number) {
  const env = deps.env ?? (() => undefined);
  const declared = new Map([...deps.agents().providers.values()].map((p) => [p.id, p]));
  const health = authHealth(store, authSection(deps.rawConfig?.() ?? {}), { now, warnAfterMs: 86_400_000 });
  const healthOf = new Map(health.providers.map((p) => [p.provider, p]));
  const ids = [...new Set([...declared.keys(), ...healthOf.keys(), ...envProviders(env)])]
    .sort((a, b) => a.localeCompare(b));
  return ids.map((id) => {
    const rollup = healthOf.get(id);
    const configKey = declared.get(id)?.apiKey;
    const envKey = envKeyFor(id, env);
    const apiKey = configKey ? { source: "config" } : envKey ? { source: "env", envVar: envKey.name } : undefined;
    // A provider with only a key is static; without profiles or key, declared ones need none here.
    const status = rollup && rollup.status !== "missing" ? rollup.status : apiKey || !rollup ? "static" : "missing";
    return {
      provider: id,
      authProvider: authProviderOf(id),
      displayName: DISPLAY_NAMES[id] ?? id,
      status,
      profiles: (rollup?.profiles ?? []).map((profile) => profileView(profile, store)),
      ...(apiKey ? { apiKey } : {}),
    };
  });
}

/** `models.list` (what the running config makes available), `models.authStatus`. */
export function modelsMethods(deps: ModelsDeps): MethodTable {
  return {
    "models.list": validated("operator.read", "validateModelsListParams", async ({ params: p, caller }) => {
      const agents = deps.agents();
      const agentId = p.agentId || p.sessionKey ? targetOf(agents, p).agentId : agents.defaultAgentId;
      const agent = agents.agents.find((a) => a.id === agentId);
      const defaultRef = agent?.model;
      const roles = agentModelRoles(agent);
      const policy = agent?.modelPolicy;
      const configured = policy?.configured ?? [];
      const named = [
        ...(agent?.model ? [agent.model] : []),
        ...(agent?.fallbacks ?? []),
        ...configured.map((key) => ({
          provider: key.slice(0, key.indexOf("/")),
          model: key.slice(key.indexOf("/") + 1),
        })),
      ].map((ref) => ({ provider: ref.provider.toLowerCase(), model: ref.model }));
      const published: ListedCatalog = deps.catalog
        ? await deps.catalog(named)
        : { models: deps.models(), providerInventory: deps.models(), outcomes: [], automaticUtilityModel: null };
      const provider = p.provider?.trim().toLowerCase();
      if (provider && published.knownProviders && !published.knownProviders.includes(provider)) {
        throw new RpcError("UNAVAILABLE", UNKNOWN_PROVIDER);
      }
      const byProvider = (rows: readonly ListedModel[]) =>
        provider ? rows.filter((m) => m.provider.toLowerCase() === provider) : [...rows];
      // The provider-config view lists what the config authors, as written: no policy, no sorting.
      const inventory = p.view === "provider-config";
      const chosen = inventory
        ? byProvider(published.providerInventory)
        // The reference lists its catalog sorted by provider, then model id (recorded in tests/fixtures/model_policy/).
        : byProvider(visibleRows(published.models, { policy, configured, all: p.view === "all" }))
          .sort((a, b) => a.provider.toLowerCase().localeCompare(b.provider.toLowerCase()) || a.id.localeCompare(b.id));
      // A client that declares it (the Control UI) hears whether the policy lets a session pick each row.
      const asksPolicy = caller.caps?.includes(MODEL_SELECTION_POLICY_CAP) === true;
      const models = chosen.map((m) =>
        modelView(m, defaultRef, roles, {
          details: p.includeDetails === true,
          input: inventory,
          ...(asksPolicy
            ? {
              manualSelectionAllowed: policyAllows(policy ?? openModelPolicy(), { provider: m.provider, model: m.id }),
            }
            : {}),
        })
      );
      const scoped = Boolean(p.sessionKey || p.authProfileId);
      const previewDefaults = p.includeDefaultModels ?? (p.view === "configured" && !scoped);
      return {
        models,
        ...(previewDefaults ? { defaultModels: { automaticUtilityModel: published.automaticUtilityModel } } : {}),
        ...(published.outcomes.length ? { providerOutcomes: published.outcomes } : {}),
        // Offline, a provider that would be discovered never is: its rows are the manifest's starters.
        ...(published.outcomes.length ? { refreshFailed: true } : {}),
        // A session-scoped read says how the account is chosen; there is one way here.
        ...(scoped && !inventory
          ? { accountSelection: { kind: "automatic", label: "Automatic account selection" } }
          : {}),
      };
    }),
    "models.authStatus": validated("operator.read", "validateModelsAuthStatusParams", async () => {
      const store = deps.authProfiles ? await deps.authProfiles() : { profiles: {} };
      const providers = providerAuthList(deps, store, Date.now());
      // providerCapabilities lists the providers one can sign in to from the UI: none here.
      return { ts: Date.now(), providers, providerCapabilities: [] };
    }),
  };
}
