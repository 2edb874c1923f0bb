// The auth half of `openclaw models status` (recorded against the reference OpenClaw 2026.9.6,
// list.auth-overview + auth-health): per provider, where its credential comes from (a `${VAR}` in
// the config, the auth profiles, the environment, the configured key), the profiles it holds with
// their secrets masked, and the health rollup of the stored profiles. Pure: the store, the
// environment and the clock are handed in. No secret leaves here unmasked.
import { isJsonObject } from "../log/json_object.ts";
import { type CredentialConfig, profileOrder, type ProfileStore, type StoredProfile } from "./provider_credentials.ts";

/** The reference's maskApiKey: 1+1 characters up to 6, 2+2 up to 16, else 8+8, around `...`. */
export function maskApiKey(value: string): string {
  // deno-lint-ignore no-control-regex
  const text = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, "").trim();
  if (!text) return "missing";
  const [head, tail] = text.length <= 6 ? [1, 1] : text.length <= 16 ? [2, 2] : [8, 8];
  return `${text.slice(0, head)}...${text.slice(-tail)}`;
}

/**
 * The providers the reference reports for each key variable when it is set: its bundled plugins
 * that read the variable (the Anthropic plugin's provider, its OpenAI-compatible twin and the
 * Claude CLI backend, recorded with ANTHROPIC_API_KEY set).
 */
export const ENV_KEY_PROVIDERS: Readonly<Record<string, readonly string[]>> = {
  ANTHROPIC_API_KEY: ["anthropic", "anthropic-openai", "claude-cli"],
  OPENAI_API_KEY: ["openai"],
};

/** Providers whose auth profiles are another's (the reference's provider auth aliases). */
const AUTH_ALIASES: Readonly<Record<string, string>> = { "claude-cli": "anthropic" };

/** The provider whose auth profiles `provider` reads (`claude-cli` reads anthropic's). */
export function authProviderOf(provider: string): string {
  const id = provider.trim().toLowerCase();
  return AUTH_ALIASES[id] ?? id;
}

/** The stored profile ids a provider reads, in store order (aliases read their target's). */
export function profilesFor(store: ProfileStore, provider: string): string[] {
  const wanted = authProviderOf(provider);
  return Object.entries(store.profiles).filter(([, c]) => authProviderOf(c.provider) === wanted).map(([id]) => id);
}

/** The environment variable holding `provider`'s key and its value, when one is set. */
export function envKeyFor(
  provider: string,
  env: (name: string) => string | undefined,
): { name: string; value: string } | undefined {
  for (const [name, providers] of Object.entries(ENV_KEY_PROVIDERS)) {
    if (!providers.includes(provider)) continue;
    const value = env(name)?.trim();
    if (value) return { name, value };
  }
  return undefined;
}

/** The providers an environment key makes the reference report. */
export function envProviders(env: (name: string) => string | undefined): string[] {
  return Object.entries(ENV_KEY_PROVIDERS).filter(([name]) => env(name)?.trim()).flatMap(([, list]) => list);
}

function secretLabel(value: unknown, ref: unknown, kind: "api-key" | "token"): string {
  const text = typeof value === "string" ? value.trim() : "";
  const prefix = kind === "token" ? "token:" : "";
  if (text) return `${prefix}${maskApiKey(text)}`;
  if (isJsonObject(ref)) return `${prefix}ref(${String(ref.source)}:${String(ref.id)})`;
  return `${prefix}missing`;
}

/** One profile as `profiles.labels` shows it: `<id>=<masked key>`, `token:<masked>`, `OAuth`. */
export function profileLabel(id: string, credential: StoredProfile | undefined): string {
  if (!credential) return `${id}=missing`;
  if (credential.type === "api_key") return `${id}=${secretLabel(credential.key, credential.keyRef, "api-key")}`;
  if (credential.type === "token") return `${id}=${secretLabel(credential.token, credential.tokenRef, "token")}`;
  return `${id}=OAuth`;
}

/** One `auth.providers` entry (key order as the reference's). */
export interface ProviderAuth {
  provider: string;
  effective: { kind: string; detail: string };
  profiles: { count: number; oauth: number; token: number; apiKey: number; labels: string[] };
  env?: { value: string; source: string };
  modelsJson?: { value: string; source: string };
}

/** What the overview of one provider reads. */
export interface ProviderAuthInput {
  provider: string;
  store: ProfileStore;
  env: (name: string) => string | undefined;
  /** `models.providers.<id>.apiKey` as written, and its value after `${VAR}` substitution. */
  configured?: { written: string; resolved: string | undefined } | undefined;
  /** The store path as shown (`effective=profiles:<path>`). */
  storeDetail: string;
  /** Where the reference says a configured key lives (`models.json: <agentDir>/models.json`). */
  modelsJsonSource: string;
}

/**
 * The reference's overview of one provider: a `${VAR}` key decides alone; else the profiles, else
 * the environment, else the configured key, else missing. Undefined when it has none of them (the
 * reference leaves such providers out).
 */
export function providerAuthOverview(input: ProviderAuthInput): ProviderAuth | undefined {
  const { provider, store } = input;
  const ids = profilesFor(store, provider);
  const typed = (type: string) => ids.filter((id) => store.profiles[id]?.type === type).length;
  const envKey = envKeyFor(provider, input.env);
  const written = input.configured?.written;
  const envName = written === undefined ? undefined : /^\$\{([A-Z_][A-Z0-9_]*)\}$/.exec(written.trim())?.[1];
  const literal = written !== undefined && !envName && written.trim() !== "" ? written : undefined;
  const effective = (() => {
    if (envName) {
      const resolved = input.configured?.resolved;
      return resolved ? { kind: "env", detail: maskApiKey(resolved) } : { kind: "missing", detail: "missing" };
    }
    if (ids.length > 0) return { kind: "profiles", detail: input.storeDetail };
    if (envKey) return { kind: "env", detail: maskApiKey(envKey.value) };
    if (literal) return { kind: "models.json", detail: maskApiKey(literal) };
    return { kind: "missing", detail: "missing" };
  })();
  const entry: ProviderAuth = {
    provider,
    effective,
    profiles: {
      count: ids.length,
      oauth: typed("oauth"),
      token: typed("token"),
      apiKey: typed("api_key"),
      labels: ids.map((id) => profileLabel(id, store.profiles[id])),
    },
    ...(envKey ? { env: { value: maskApiKey(envKey.value), source: `env: ${envKey.name}` } } : {}),
    ...(written !== undefined && written.trim() !== ""
      ? { modelsJson: { value: maskApiKey(envName ?? written), source: input.modelsJsonSource } }
      : {}),
  };
  return entry.profiles.count > 0 || entry.env || entry.modelsJson ? entry : undefined;
}

/** One stored profile's health (`auth.oauth.profiles`). */
export interface ProfileHealth {
  profileId: string;
  provider: string;
  type: string;
  status: string;
  reasonCode?: string;
  expiresAt?: number;
  remainingMs?: number;
  source: "store";
  label: string;
}

/** One provider's health rollup (`auth.oauth.providers`). */
export interface ProviderHealth {
  provider: string;
  status: string;
  profiles: ProfileHealth[];
  effectiveProfiles: ProfileHealth[];
  expiresAt?: number;
  remainingMs?: number;
}

function hasSecret(value: unknown, ref: unknown): boolean {
  return (typeof value === "string" && value.trim() !== "") || isJsonObject(ref);
}

/** The reference's buildProfileHealth for one stored profile. */
function profileHealth(id: string, credential: StoredProfile, now: number, warnAfterMs: number): ProfileHealth {
  const base = { profileId: id, provider: credential.provider.trim().toLowerCase(), type: credential.type };
  const tail = { source: "store" as const, label: id };
  const missing = (reasonCode: string) => ({ ...base, status: "missing", reasonCode, ...tail });
  if (credential.type === "api_key") {
    return hasSecret(credential.key, credential.keyRef)
      ? { ...base, status: "static", ...tail }
      : missing("missing_credential");
  }
  const expires = typeof credential.expires === "number" && credential.expires > 0 ? credential.expires : undefined;
  if (credential.type === "token") {
    if (!hasSecret(credential.token, credential.tokenRef)) return missing("missing_credential");
    if (expires !== undefined && expires <= now) return { ...base, status: "expired", reasonCode: "expired", ...tail };
    if (expires === undefined) return { ...base, status: "static", ...tail };
  } else if (!hasSecret(credential.access, undefined) && !hasSecret(credential.refresh, undefined)) {
    return missing("missing_credential");
  }
  if (expires === undefined) return missing("missing_expiry");
  const remainingMs = expires - now;
  const status = remainingMs <= 0 ? "expired" : remainingMs <= warnAfterMs ? "expiring" : "ok";
  return { ...base, status, expiresAt: expires, remainingMs, ...tail };
}

/** The reference's buildAuthHealthSummary: every stored profile's health, rolled up per provider. */
export function authHealth(
  store: ProfileStore,
  config: CredentialConfig,
  options: { now: number; warnAfterMs: number },
): { profiles: ProfileHealth[]; providers: ProviderHealth[] } {
  const profiles = Object.entries(store.profiles)
    .map(([id, credential]) => profileHealth(id, credential, options.now, options.warnAfterMs))
    .toSorted((a, b) => a.provider.localeCompare(b.provider) || a.profileId.localeCompare(b.profileId));
  const byProvider = new Map<string, ProfileHealth[]>();
  for (const profile of profiles) {
    byProvider.set(profile.provider, [...byProvider.get(profile.provider) ?? [], profile]);
  }
  const providers = [...byProvider].map(([provider, list]): ProviderHealth => {
    const ordered = profileOrder(store, config, provider, options.now).order
      .map((id) => list.find((p) => p.profileId === id)).filter((p): p is ProfileHealth => p !== undefined);
    const effectiveProfiles = ordered.length > 0 ? ordered : list;
    const expirable = effectiveProfiles.filter((p) => p.type === "oauth" || p.type === "token");
    const has = (status: string) => effectiveProfiles.some((p) => p.status === status);
    if (expirable.length === 0) {
      const status = has("missing") ? "missing" : has("static") ? "static" : "missing";
      return { provider, status, profiles: list, effectiveProfiles };
    }
    const expiries = expirable.map((p) => p.expiresAt).filter((v): v is number => v !== undefined);
    const status = expirable.some((p) => p.status === "expired")
      ? "expired"
      : expirable.some((p) => p.status === "missing") || has("missing")
      ? "missing"
      : expirable.some((p) => p.status === "expiring")
      ? "expiring"
      : "ok";
    const earliest = expiries.length > 0 ? Math.min(...expiries) : undefined;
    return {
      provider,
      status,
      profiles: list,
      effectiveProfiles,
      ...(earliest !== undefined ? { expiresAt: earliest, remainingMs: earliest - options.now } : {}),
    };
  });
  return { profiles, providers: providers.toSorted((a, b) => a.provider.localeCompare(b.provider)) };
}
