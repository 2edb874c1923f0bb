// Which credential a model call sends, decided as the reference (OpenClaw 2026.9.6,
// model-auth-provider + auth-profiles/order) decides it for an API-key provider: a configured key
// that `auth: "api-key"` prefers, else the auth profiles in their order, else the provider's
// environment variable, else `models.providers.<id>.apiKey`. Pure: the store and the environment
// are handed in, the store only read when the order needs it.
import { isJsonObject } from "../log/json_object.ts";

/** One credential of the profile store, as the reference keeps it (`type` api_key, token or oauth). */
export interface StoredProfile {
  type: string;
  provider: string;
  key?: unknown;
  keyRef?: unknown;
  token?: unknown;
  tokenRef?: unknown;
  access?: unknown;
  refresh?: unknown;
  expires?: unknown;
}

/** The profile store and its runtime state (`authProfiles.store` + `authProfiles.state`). */
export interface ProfileStore {
  profiles: Record<string, StoredProfile>;
  /** The store's own order per provider (set by `openclaw models auth order`). */
  order?: Record<string, string[]> | undefined;
  /** When each profile was last used (ms): the reference tries the least recently used first. */
  lastUsed?: Record<string, number> | undefined;
}

/** What resolution reads from the config: the provider's entry and the `auth` section. */
export interface CredentialConfig {
  /** `models.providers.<id>.apiKey` (a literal, after `${VAR}` substitution) and `auth`. */
  provider?: { apiKey?: string | undefined; auth?: string | undefined } | undefined;
  /** `auth.order`: profile ids per provider. */
  order?: Record<string, unknown> | undefined;
  /** `auth.profiles`: profile id → `{ provider, mode }`. */
  profiles?: Record<string, unknown> | undefined;
}

/** The credential a call sends, and where it came from (for logs; never the key). */
export type CredentialSource = { apiKey: string; source: `profile:${string}` | `env: ${string}` | "models.json" };

/** Nothing usable: the profiles that were seen but cannot be sent, with why. */
export interface NoCredential {
  skipped: { profileId: string; reason: string }[];
}

/** The environment variables holding each built-in provider's API key (the reference's first candidate). */
export const PROVIDER_ENV_KEYS: Readonly<Record<string, readonly string[]>> = {
  anthropic: ["ANTHROPIC_API_KEY"],
  openai: ["OPENAI_API_KEY"],
};

const TYPE_RANK: Record<string, number> = { oauth: 0, token: 1, "api_key": 2 };

function nonBlank(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

function providerKey(provider: unknown): string {
  return typeof provider === "string" ? provider.trim().toLowerCase() : "";
}

/** A list of profile ids for `provider` in a per-provider record, matched case-insensitively. */
function orderFor(record: Record<string, unknown> | undefined, provider: string): string[] | undefined {
  const entry = Object.entries(record ?? {}).find(([key]) => providerKey(key) === provider)?.[1];
  return Array.isArray(entry)
    ? entry.filter((id): id is string => typeof id === "string" && id.trim() !== "")
    : undefined;
}

/** Why a stored profile cannot authenticate `provider` now, or undefined when it can (order.ts eligibility). */
function ineligible(
  store: ProfileStore,
  config: CredentialConfig,
  provider: string,
  profileId: string,
  now: number,
): string | undefined {
  const credential = store.profiles[profileId];
  if (!credential) return "not in the profile store";
  if (providerKey(credential.provider) !== provider) return "stored for another provider";
  const declared = config.profiles?.[profileId];
  if (isJsonObject(declared)) {
    if (providerKey(declared.provider) !== provider) return "declared for another provider";
    if (declared.mode !== credential.type && !(declared.mode === "oauth" && credential.type === "token")) {
      return `declared as ${String(declared.mode)} but stored as ${credential.type}`;
    }
  }
  if (credential.type === "api_key") {
    if (/^openclaw\s+onboard(?:\s+.*)?\s+--auth-choice(?:\s|=|$)/i.test(nonBlank(credential.key) ?? "")) {
      return "the stored key is an onboarding command, not a key";
    }
    return nonBlank(credential.key) || isJsonObject(credential.keyRef) ? undefined : "no key stored";
  }
  if (credential.type === "token") {
    if (!nonBlank(credential.token) && !isJsonObject(credential.tokenRef)) return "no token stored";
    if (typeof credential.expires === "number" && credential.expires <= now) return "expired";
    return undefined;
  }
  if (credential.type === "oauth") {
    return nonBlank(credential.access) || nonBlank(credential.refresh) ? undefined : "no OAuth tokens stored";
  }
  return `unknown credential type ${credential.type}`;
}

/**
 * The profiles tried for `provider`, in the reference's order: the store's own order for it, else
 * `auth.order`, else the `auth.profiles` declared for it, else every stored profile of it; only
 * the eligible ones. An explicit order is kept as written; otherwise OAuth before token before
 * API key, least recently used first. Profiles skipped are returned with why.
 */
export function profileOrder(
  store: ProfileStore,
  config: CredentialConfig,
  provider: string,
  now: number,
): { order: string[]; skipped: { profileId: string; reason: string }[] } {
  const wanted = providerKey(provider);
  const fromStore = orderFor(store.order, wanted);
  const explicit = fromStore ?? orderFor(config.order, wanted);
  const declared = Object.entries(config.profiles ?? {})
    .filter(([, profile]) => isJsonObject(profile) && providerKey(profile.provider) === wanted)
    .map(([id]) => id);
  const stored = Object.entries(store.profiles).filter(([, c]) => providerKey(c.provider) === wanted).map(([id]) => id);
  const base = explicit ?? (declared.length > 0 ? declared : stored);
  // An explicit empty order (`auth.order.<provider>: []`) means no profile: the reference returns
  // before its repair below, which would otherwise bring back every stored one.
  if (base.length === 0) return { order: [], skipped: [] };
  const skipped: { profileId: string; reason: string }[] = [];
  const eligible = (ids: string[]) =>
    ids.filter((id) => {
      const reason = ineligible(store, config, wanted, id, now);
      if (reason) skipped.push({ profileId: id, reason });
      return reason === undefined;
    });
  let kept = eligible(base);
  let repaired = false;
  // Names in the order that the store does not hold at all fall back to what it does hold.
  if (kept.length === 0 && base.every((id) => !store.profiles[id]) && (fromStore || declared.length > 0)) {
    skipped.length = 0;
    kept = eligible(stored);
    repaired = true;
  }
  const unique = [...new Set(kept)];
  if (explicit && explicit.length > 0 && !repaired) return { order: unique, skipped };
  const rank = (id: string) => TYPE_RANK[store.profiles[id]?.type ?? ""] ?? 3;
  const used = (id: string) => store.lastUsed?.[id] ?? 0;
  return { order: unique.toSorted((a, b) => rank(a) - rank(b) || used(a) - used(b)), skipped };
}

/** The key an API-key profile holds: its literal key, or the environment variable its `keyRef` names. */
function profileKey(credential: StoredProfile, env: (name: string) => string | undefined): string | undefined {
  const literal = nonBlank(credential.key);
  if (literal) return literal;
  const ref = credential.keyRef;
  if (!isJsonObject(ref) || ref.source !== "env" || typeof ref.id !== "string") return undefined;
  return nonBlank(env(ref.id.trim()));
}

/**
 * The credential a call to `provider` sends, or what was seen instead. `store()` is called only
 * when the profile order is needed (a configured key `auth: "api-key"` prefers is not); it may
 * throw the store's own typed error. OAuth and token profiles are ordered as the reference orders
 * them but not sent: this gateway sends API keys only, so they are skipped with that reason.
 */
export function resolveProviderCredential(input: {
  provider: string;
  config: CredentialConfig;
  store: () => ProfileStore;
  env: (name: string) => string | undefined;
  now: number;
}): CredentialSource | NoCredential {
  const { provider, config, env } = input;
  const configured = nonBlank(config.provider?.apiKey);
  if (config.provider?.auth === "api-key" && configured) return { apiKey: configured, source: "models.json" };
  const store = input.store();
  const { order, skipped } = profileOrder(store, config, provider, input.now);
  for (const profileId of order) {
    const credential = store.profiles[profileId]!;
    if (credential.type !== "api_key") {
      skipped.push({ profileId, reason: `a ${credential.type} profile, which this gateway does not send` });
      continue;
    }
    const key = profileKey(credential, env);
    if (key) return { apiKey: key, source: `profile:${profileId}` };
    skipped.push({ profileId, reason: "its key reference does not resolve" });
  }
  for (const name of PROVIDER_ENV_KEYS[providerKey(provider)] ?? []) {
    const value = nonBlank(env(name));
    if (value) return { apiKey: value, source: `env: ${name}` };
  }
  if (configured) return { apiKey: configured, source: "models.json" };
  return { skipped };
}

/** The config's `auth.order` and `auth.profiles` as resolution reads them (anything else there is not read). */
export function authSection(config: Readonly<Record<string, unknown>>): Pick<CredentialConfig, "order" | "profiles"> {
  const auth = isJsonObject(config.auth) ? config.auth : {};
  return {
    ...(isJsonObject(auth.order) ? { order: auth.order } : {}),
    ...(isJsonObject(auth.profiles) ? { profiles: auth.profiles } : {}),
  };
}
