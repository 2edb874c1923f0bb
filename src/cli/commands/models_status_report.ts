// The object `openclaw models status --json` prints (key order as the reference's, recorded against
// 2026.9.6), built from the configured catalog view, the built-in Anthropic provider and the
// auth-profile store: default/fallbacks/utility/image model, aliases, the allowlist, per provider
// where its key comes from (masked as the reference masks it, model_status_auth.ts) and the stored
// profiles' health. Configs whose models use providers this gateway does not serve (openai with
// its Codex runtime routes, other bundled plugins) or a per-agent auth store are refused by name.
import { type CatalogRef, routeAvailability } from "../../config/model_catalog_view.ts";
import { type ModelStatusFacts } from "../../config/model_status_facts.ts";
import { authHealth, envProviders, type ProviderAuth, providerAuthOverview } from "../../config/model_status_auth.ts";
import { authSection, type ProfileStore } from "../../config/provider_credentials.ts";
import { isJsonObject } from "../../log/json_object.ts";

/** A status this gateway cannot give honestly (the provider or store it would need is not served). */
export class StatusNotServed extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StatusNotServed";
  }
}

/** The built-in providers `models status` reports without a `models.providers` entry (recorded: anthropic). */
const STATUS_BUILT_INS = new Set(["anthropic"]);

/** How the reference tells an operator to give a provider in use a credential (its recovery hint). */
export function recoveryHint(provider: string): string {
  return `Run \`openclaw models auth login --provider ${provider}\`, \`openclaw configure\`, or set an API key env var.`;
}

/** Where the status reads from: the config path, the agent dir, the config as written and as substituted. */
export interface StatusInputs {
  configPath: string;
  agentDir: string;
  authored: Record<string, unknown>;
  facts: ModelStatusFacts;
  /** Shortens a path under HOME to `~/...` (as the reference's shortenHomePath). */
  short(path: string): string;
  /** Whether a file exists (the per-agent auth store check). */
  exists(path: string): boolean;
  /** The auth-profile store (read by the caller; empty when onboarding never wrote one). */
  store: ProfileStore;
  /** The store's path as the reference shows it (`Auth store`). */
  storePath: string;
  env(name: string): string | undefined;
  now: number;
}

function record(value: unknown): Record<string, unknown> {
  return isJsonObject(value) ? value : {};
}

/** One `auth.modelRouteIssues` entry (the indeterminate kind is the one configured providers produce). */
export interface RouteIssue {
  kind: string;
  provider: string;
  model: string;
  message: string;
}

const key = (ref: CatalogRef) => `${ref.provider}/${ref.model}`;

/** `models.providers.<id>.apiKey` as written; a SecretRef object is refused by name. */
function writtenKey(id: string, inputs: StatusInputs): string | undefined {
  const authoredProviders = record(record(inputs.authored.models).providers);
  const written = Object.entries(authoredProviders).find(([name]) => name.toLowerCase() === id)?.[1];
  const apiKey = record(written).apiKey;
  if (apiKey === undefined) return undefined;
  if (typeof apiKey !== "string") {
    throw new StatusNotServed(
      `openclaw models status: the SecretRef at models.providers.${id}.apiKey is not served by this gateway; write the key or a \${VAR} reference.`,
    );
  }
  return apiKey;
}

/** The status object and the `--check` exit code (1 when a route's auth is missing or cannot be confirmed). */
export function statusReport(inputs: StatusInputs) {
  const { facts, store } = inputs;
  if (facts.utilityConfigured) {
    throw new StatusNotServed("openclaw models status: agents.defaults.utilityModel is not served by this gateway.");
  }
  const agentStore = `${inputs.agentDir}/openclaw-agent.sqlite`;
  if (inputs.exists(agentStore) || inputs.exists(`${inputs.agentDir}/auth-profiles.json`)) {
    throw new StatusNotServed(
      `openclaw models status: auth profiles kept in the agent's own store (${
        inputs.short(agentStore)
      }) are not served by this gateway.`,
    );
  }
  const { routes, resolvedDefault: resolved } = facts;
  const utility = facts.utilityDefault;
  const uses = utility ? [...facts.uses, utility] : facts.uses;
  const foreign = uses.find((ref) => !routes.has(ref.provider) && !STATUS_BUILT_INS.has(ref.provider));
  if (foreign) {
    throw new StatusNotServed(
      `openclaw models status: provider "${foreign.provider}" (${
        key(foreign)
      }) is not configured under models.providers; this gateway reports status only for configured providers and anthropic.`,
    );
  }
  const storeDetail = inputs.short(inputs.storePath);
  const overview = (id: string) =>
    providerAuthOverview({
      provider: id,
      store,
      env: inputs.env,
      configured: ((written) => written === undefined ? undefined : { written, resolved: routes.get(id)?.apiKey })(
        writtenKey(id, inputs),
      ),
      storeDetail,
      modelsJsonSource: `models.json: ${inputs.short(`${inputs.agentDir}/models.json`)}`,
    });
  const providers = [
    ...new Set([
      ...Object.values(store.profiles).map((c) => c.provider.trim().toLowerCase()).filter(Boolean),
      ...routes.keys(),
      ...uses.map((ref) => ref.provider),
      ...envProviders(inputs.env),
    ]),
  ]
    .sort((a, b) => a.localeCompare(b))
    .map(overview)
    .filter((entry): entry is ProviderAuth => entry !== undefined);
  const byProvider = new Map(providers.map((entry) => [entry.provider, entry]));
  const issues = new Map<string, RouteIssue>();
  const missing = new Set<string>();
  for (const ref of uses) {
    const route = routes.get(ref.provider);
    if (STATUS_BUILT_INS.has(ref.provider)) {
      // A built-in provider is usable when a credential resolves for it (or its endpoint is local).
      if ((byProvider.get(ref.provider)?.effective.kind ?? "missing") !== "missing") continue;
      if (routeAvailability(route) === true) continue;
      missing.add(ref.provider);
      continue;
    }
    if (routeAvailability(route) !== null) continue;
    const issue = {
      kind: "indeterminate",
      provider: ref.provider,
      model: ref.model,
      message: `Auth readiness could not be confirmed for ${key(ref)}.`,
    };
    issues.set(JSON.stringify(issue), issue);
  }
  const warnAfterMs = 86_400_000;
  const health = authHealth(store, authSection(inputs.authored), { now: inputs.now, warnAfterMs });
  const withTokens = providers.filter((entry) => entry.profiles.oauth + entry.profiles.token > 0)
    .map((entry) => `${entry.provider} (${entry.profiles.oauth + entry.profiles.token})`);
  const report = {
    configPath: inputs.configPath,
    agentDir: inputs.agentDir,
    defaultModel: facts.rawDefault || key(resolved),
    resolvedDefault: key(resolved),
    fallbacks: facts.fallbacks,
    imageModel: facts.imageModel || null,
    imageFallbacks: facts.imageFallbacks,
    utilityModel: utility ? { ref: key(utility), source: "provider-default" } : { ref: null, source: "none" },
    aliases: Object.fromEntries(facts.aliases),
    allowed: facts.allowed,
    auth: {
      storePath: inputs.storePath,
      shellEnvFallback: { enabled: false, appliedKeys: [] },
      providersWithOAuth: withTokens,
      missingProvidersInUse: [...missing].sort((a, b) => a.localeCompare(b)),
      modelRouteIssues: [...issues.values()],
      runtimeAuthRoutes: [],
      providers,
      unusableProfiles: [],
      oauth: { warnAfterMs, profiles: health.profiles, providers: health.providers },
    },
  };
  // As the reference's --check: a provider in use whose credential is its profiles fails when they
  // are expired or unusable (1) and warns when they expire soon (2).
  const fromProfiles = (provider: string) =>
    uses.some((ref) => ref.provider === provider) && byProvider.get(provider)?.effective.kind === "profiles";
  const expired = health.providers.some((p) =>
    fromProfiles(p.provider) && (p.status === "expired" || p.status === "missing")
  );
  const expiring = health.providers.some((p) => fromProfiles(p.provider) && p.status === "expiring");
  const check = issues.size > 0 || missing.size > 0 || expired ? 1 : expiring ? 2 : 0;
  return { report, check };
}
