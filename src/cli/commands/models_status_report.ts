// The object `openclaw models status --json` prints (key order as the reference's, recorded against
// 2026.9.6), built from the configured catalog view: default/fallbacks/image model, aliases, the
// allowlist, and per configured provider where its key comes from (masked as the reference masks it).
// Configs whose models use providers this gateway does not configure (the reference's bundled
// plugins: openai, anthropic, codex runtime ...) or that keep auth profiles are refused by name.
import { type CatalogRef, routeAvailability } from "../../config/model_catalog_view.ts";
import { type ModelStatusFacts } from "../../config/model_status_facts.ts";
import { isJsonObject } from "../../log/json_object.ts";

/** The reference's maskApiKey: 1+1 characters up to 6, 2+2 up to 16, else 8+8, around `...`. */
export function maskApiKey(value: string): string {
  // deno-lint-ignore no-control-regex
  const text = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, "").trim();
  if (!text) return "missing";
  const [head, tail] = text.length <= 6 ? [1, 1] : text.length <= 16 ? [2, 2] : [8, 8];
  return `${text.slice(0, head)}...${text.slice(-tail)}`;
}

/** A status this gateway cannot give honestly (the provider or store it would need is not served). */
export class StatusNotServed extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StatusNotServed";
  }
}

/** Where the status reads from: the config path, the agent dir, the config as written and as substituted. */
export interface StatusInputs {
  configPath: string;
  agentDir: string;
  authored: Record<string, unknown>;
  facts: ModelStatusFacts;
  /** Shortens a path under HOME to `~/...` (as the reference's shortenHomePath). */
  short(path: string): string;
  /** Whether a file exists (the auth store check). */
  exists(path: string): boolean;
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

/** One `auth.providers` entry. */
export interface ProviderAuth {
  provider: string;
  effective: { kind: string; detail: string };
  profiles: { count: number; oauth: number; token: number; apiKey: number; labels: string[] };
  modelsJson?: { value: string; source: string };
}

const key = (ref: CatalogRef) => `${ref.provider}/${ref.model}`;

/** The provider auth entry of one configured provider with a key, or undefined without one. */
function providerEntry(id: string, inputs: StatusInputs): ProviderAuth | undefined {
  const authoredProviders = record(record(inputs.authored.models).providers);
  const written = Object.entries(authoredProviders).find(([name]) => name.toLowerCase() === id)?.[1];
  const apiKey = record(written).apiKey;
  if (apiKey === undefined) return undefined;
  if (typeof apiKey !== "string") {
    throw new StatusNotServed(
      `openclaw models status: the SecretRef at models.providers.${id}.apiKey is not served by this gateway; write the key or a \${VAR} reference.`,
    );
  }
  const envName = /^\$\{([A-Z_][A-Z0-9_]*)\}$/.exec(apiKey.trim())?.[1];
  const resolved = inputs.facts.routes.get(id)?.apiKey ?? "";
  const effective = envName
    ? resolved ? { kind: "env", detail: maskApiKey(resolved) } : { kind: "missing", detail: "missing" }
    : { kind: "models.json", detail: maskApiKey(apiKey) };
  return {
    provider: id,
    effective,
    profiles: { count: 0, oauth: 0, token: 0, apiKey: 0, labels: [] },
    modelsJson: {
      value: maskApiKey(envName ?? apiKey),
      source: `models.json: ${inputs.short(`${inputs.agentDir}/models.json`)}`,
    },
  };
}

/** The status object and the `--check` exit code (1 when a route's auth cannot be confirmed). */
export function statusReport(inputs: StatusInputs) {
  const { facts } = inputs;
  if (facts.utilityConfigured) {
    throw new StatusNotServed("openclaw models status: agents.defaults.utilityModel is not served by this gateway.");
  }
  const storePath = `${inputs.agentDir}/openclaw-agent.sqlite`;
  if (inputs.exists(storePath) || inputs.exists(`${inputs.agentDir}/auth-profiles.json`)) {
    throw new StatusNotServed(
      `openclaw models status: auth profiles (${inputs.short(storePath)}) are not served by this gateway.`,
    );
  }
  const { routes, uses, resolvedDefault: resolved } = facts;
  const foreign = uses.find((ref) => !routes.has(ref.provider));
  if (foreign) {
    throw new StatusNotServed(
      `openclaw models status: provider "${foreign.provider}" (${
        key(foreign)
      }) is not configured under models.providers; this gateway reports status only for configured providers.`,
    );
  }
  const issues = new Map<string, RouteIssue>();
  for (const ref of uses) {
    if (routeAvailability(routes.get(ref.provider)) !== null) continue;
    const issue = {
      kind: "indeterminate",
      provider: ref.provider,
      model: ref.model,
      message: `Auth readiness could not be confirmed for ${key(ref)}.`,
    };
    issues.set(JSON.stringify(issue), issue);
  }
  const providers = [...new Set([...routes.keys(), ...uses.map((ref) => ref.provider)])]
    .sort((a, b) => a.localeCompare(b))
    .map((id) => providerEntry(id, inputs))
    .filter((entry): entry is ProviderAuth => entry !== undefined);
  const report = {
    configPath: inputs.configPath,
    agentDir: inputs.agentDir,
    defaultModel: facts.rawDefault || key(resolved),
    resolvedDefault: key(resolved),
    fallbacks: facts.fallbacks,
    imageModel: facts.imageModel || null,
    imageFallbacks: facts.imageFallbacks,
    utilityModel: { ref: null, source: "none" },
    aliases: Object.fromEntries(facts.aliases),
    allowed: facts.allowed,
    auth: {
      storePath,
      shellEnvFallback: { enabled: false, appliedKeys: [] },
      providersWithOAuth: [],
      missingProvidersInUse: [],
      modelRouteIssues: [...issues.values()],
      runtimeAuthRoutes: [],
      providers,
      unusableProfiles: [],
      oauth: { warnAfterMs: 86_400_000, profiles: [], providers: [] },
    },
  };
  return { report, check: issues.size > 0 ? 1 : 0 };
}
