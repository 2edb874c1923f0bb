// What the reference adds to a config before `models status` reads it (recorded against OpenClaw
// 2026.9.6): the Anthropic plugin's API-key defaults put `anthropic/claude-sonnet-5` and
// `anthropic/claude-sonnet-4-6` in `agents.defaults.models` next to an Anthropic model, the built-in
// aliases (`opus`, `sonnet`, …) name the entries that have none, and a default model on a bundled
// provider brings that provider's utility model. Pure: a config and the environment in, facts out.
import { isJsonObject } from "../log/json_object.ts";
// Types only: model_policy.ts reads referenceModelMap, and model_catalog_view.ts reaches it at runtime.
import type { CatalogRef } from "./model_catalog_view.ts";
import { BUILTIN_ALIASES } from "./builtin_aliases.ts";
import type { RawConfig } from "./schema.ts";

/** The reference's API-key allowlist additions beside an Anthropic model. */
const ANTHROPIC_API_KEY_DEFAULT_REFS = ["anthropic/claude-sonnet-5", "anthropic/claude-sonnet-4-6"];

/** Each bundled provider's utility model (its manifest's `defaultUtilityModel`). */
const PROVIDER_UTILITY_MODELS: Readonly<Record<string, string>> = {
  anthropic: "claude-haiku-4-5",
  openai: "gpt-5.6-luna",
};

function record(value: unknown): Record<string, unknown> {
  return isJsonObject(value) ? value : {};
}

/** The reference's resolveAnthropicDefaultAuthMode: `api_key`, `oauth` or undefined. */
export function anthropicAuthMode(
  config: RawConfig,
  env: (name: string) => string | undefined,
): "api_key" | "oauth" | undefined {
  const auth = record(config.auth);
  const profiles = record(auth.profiles);
  const order = record(auth.order);
  const ids = [order.anthropic, order["claude-cli"]].flatMap((list) => Array.isArray(list) ? list : []);
  for (const id of ids) {
    const entry = record(profiles[String(id)]);
    if (entry.provider === "claude-cli") return "oauth";
    if (entry.provider !== "anthropic") continue;
    if (entry.mode === "api_key") return "api_key";
    if (entry.mode === "oauth" || entry.mode === "token") return "oauth";
  }
  const entries = Object.values(profiles).map(record);
  const hasApiKey = entries.some((p) => p.provider === "anthropic" && p.mode === "api_key");
  const hasOauth = entries.some((p) =>
    p.provider === "claude-cli" || (p.provider === "anthropic" && (p.mode === "oauth" || p.mode === "token"))
  );
  if (hasApiKey && !hasOauth) return "api_key";
  if (hasOauth && !hasApiKey) return "oauth";
  if (env("ANTHROPIC_OAUTH_TOKEN")?.trim()) return "oauth";
  if (env("ANTHROPIC_API_KEY")?.trim()) return "api_key";
  return undefined;
}

const isAnthropicKey = (key: string) => key.trim().toLowerCase().startsWith("anthropic/");

/** `agents.defaults.models` as the reference sees it after its defaults (entries added, aliases named). */
export function referenceModelMap(
  config: RawConfig,
  env: (name: string) => string | undefined,
): Record<string, Record<string, unknown>> {
  const defaults = record(record(config.agents).defaults);
  const models: Record<string, Record<string, unknown>> = {};
  for (const [k, v] of Object.entries(record(defaults.models))) models[k] = { ...record(v) };
  if (isJsonObject(record(config.agents).defaults) && anthropicAuthMode(config, env) === "api_key") {
    const model = defaults.model;
    const primary = typeof model === "string" ? model : record(model).primary;
    if (typeof primary === "string" && isAnthropicKey(primary) && !(primary.trim() in models)) {
      models[primary.trim()] = {};
    }
    if (Object.keys(models).some(isAnthropicKey)) {
      for (const ref of ANTHROPIC_API_KEY_DEFAULT_REFS) if (!(ref in models)) models[ref] = {};
    }
  }
  for (const [alias, target] of Object.entries(BUILTIN_ALIASES)) {
    const entry = models[target];
    if (!entry || entry.alias !== undefined) continue;
    const taken = Object.entries(models).some(([k, e]) =>
      k !== target && typeof e.alias === "string" && e.alias.trim().toLowerCase() === alias
    );
    if (!taken) models[target] = { ...entry, alias };
  }
  return models;
}

/** The config as the reference reads it for its model views: `agents.defaults.models` after its defaults. */
export function referenceConfig(config: RawConfig, env: (name: string) => string | undefined): RawConfig {
  const agents = record(config.agents);
  const defaults = { ...record(agents.defaults), models: referenceModelMap(config, env) };
  return { ...config, agents: { ...agents, defaults } } as RawConfig;
}

/** The aliases `models status` shows: the configured ones and those the reference's defaults add. */
export function referenceAliases(config: RawConfig, env: (name: string) => string | undefined): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [key, entry] of Object.entries(referenceModelMap(config, env))) {
    const alias = entry.alias;
    if (typeof alias === "string" && alias.trim()) pairs.push([alias.trim(), key]);
  }
  return pairs;
}

/** The utility model a default on a bundled provider brings (its manifest's default), if any. */
export function providerUtilityModel(resolvedDefault: CatalogRef): CatalogRef | undefined {
  const model = PROVIDER_UTILITY_MODELS[resolvedDefault.provider];
  return model ? { provider: resolvedDefault.provider, model } : undefined;
}
