import type { AgentsConfig, ModelRef } from "../../agent/agents_config.ts";
import type { ModelEntry } from "../../config/resolve.ts";
import { type MethodTable, validated } from "../registry.ts";
import { targetOf } from "./agent.ts";
import { thinkingView } from "../../agent/thinking_level.ts";
import { type ModelPolicy, visibleModels } from "../../config/model_policy.ts";

/** One entry of `models.list` (resolved from `models.providers.<id>.models[]` by config/). */
export type { ModelEntry };

/** Dependencies of `models.list` and `models.authStatus`. */
export interface ModelsDeps {
  /** The models of the resolved config in force. */
  models(): readonly ModelEntry[];
  /** Agents and providers of the config in force. */
  agents(): AgentsConfig;
}

/** A model as the reference lists it: `tags: ["default"]` on the agent's own, its thinking levels (`reasoning` models offer them). */
export function modelView(entry: ModelEntry, defaultRef: ModelRef | undefined): Record<string, unknown> {
  const isDefault = defaultRef?.provider === entry.provider && defaultRef.model === entry.id;
  return {
    id: entry.id,
    name: entry.name,
    provider: entry.provider,
    ...(entry.contextWindow !== undefined ? { contextWindow: entry.contextWindow } : {}),
    reasoning: entry.reasoning,
    ...(isDefault ? { tags: ["default"] } : {}),
    thinkingLevels: thinkingView(entry).thinkingLevels,
    thinkingDefault: thinkingView(entry).thinkingDefault,
    available: entry.available,
  };
}

/** The catalog rows a policy shows; an allowed model the catalog lacks is listed by its id alone. */
function policyView(policy: ModelPolicy, catalog: readonly ModelEntry[]): ModelEntry[] {
  const rows = catalog.map((entry) => ({ ...entry, model: entry.id }));
  return visibleModels(policy, rows).map((row) =>
    "id" in row
      ? catalog.find((entry) => entry.provider === row.provider && entry.id === row.id)!
      : { id: row.model, name: row.model, provider: row.provider, reasoning: false, available: true }
  );
}

/** How a provider authenticates, as `models.authStatus` reports it: a key in the config, or none needed. */
function providerAuth(provider: { id: string; apiKey: string | undefined }) {
  return {
    provider: provider.id,
    authProvider: provider.id,
    displayName: provider.id,
    status: "static",
    profiles: [],
    ...(provider.apiKey ? { apiKey: { source: "config" } } : {}),
  };
}

/** `models.list` (what the running config makes available), `models.authStatus`. */
export function modelsMethods(deps: ModelsDeps): MethodTable {
  return {
    "models.list": validated("operator.read", "validateModelsListParams", ({ params: p }) => {
      const agents = deps.agents();
      const agentId = p.agentId || p.sessionKey ? targetOf(agents, p).agentId : agents.defaultAgentId;
      const defaultRef = agents.agents.find((a) => a.id === agentId)?.model;
      // A picker sees what the agent's model policy lets a session choose; `view: "all"` browses everything.
      const policy = agents.agents.find((a) => a.id === agentId)?.modelPolicy;
      const visible = policy && p.view !== "all" ? policyView(policy, deps.models()) : deps.models();
      const chosen = p.provider ? visible.filter((m) => m.provider === p.provider) : visible;
      const models = chosen.map((m) => ({
        ...modelView(m, defaultRef),
        // A configured view says whether a client may pick the model by hand; every configured one may.
        ...(p.view === "configured" ? { manualSelectionAllowed: true } : {}),
      }));
      // The reference says how the account is chosen whenever a view was asked for; there is one way here.
      return p.view
        ? { models, accountSelection: { kind: "automatic", label: "Automatic account selection" } }
        : { models };
    }),
    "models.authStatus": validated("operator.read", "validateModelsAuthStatusParams", () => {
      const providers = [...deps.agents().providers.values()].map(providerAuth);
      // providerCapabilities lists the providers one can sign in to from the UI: none here.
      return { ts: Date.now(), providers, providerCapabilities: [] };
    }),
  };
}
