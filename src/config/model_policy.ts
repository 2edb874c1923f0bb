// Which models a session may switch to (sessions.patch `model`, `/model`, models.list), as the
// reference OpenClaw 2026.9.6 decides it (recorded in tests/fixtures/model_policy/): an agent's own
// `modelPolicy.allow` replaces the defaults'; `agents.defaults.modelPolicy.allow` applies otherwise;
// with neither, the legacy `agents.defaults.models` keys restrict unless the config carries the
// migration marker `meta.migrations.modelPolicyAllowlist` (or a `modelPolicy` object of any shape).
// An empty list allows any model. Entries are aliases, exact `provider/model` refs, or prefix
// wildcards (`openai/*`, `clawrouter/anthropic/*`) that match at a `/` boundary. Pure.
import { referenceModelMap } from "./model_status_defaults.ts";
import { isJsonObject } from "../log/json_object.ts";
import type { RawConfig } from "./schema.ts";

/** A `provider/model` pair (provider lowercased, as the reference normalizes it). */
export interface PolicyRef {
  provider: string;
  model: string;
}

/** A configured alias (`agents.defaults.models.<key>.alias`, or the agent's own `models`). */
export interface ModelAlias {
  alias: string;
  ref: PolicyRef;
}

/** The config key a refusal names when the policy came from the defaults. */
export const DEFAULT_POLICY_PATH = "agents.defaults.modelPolicy.allow";
/** The config key a refusal names when the agent's own policy applies. */
export const AGENT_POLICY_PATH = "agents.entries.*.modelPolicy.allow";
/** The config key a refusal names when the legacy model map restricts. */
export const LEGACY_POLICY_PATH = "agents.defaults.models";

/** One agent's model policy, resolved against the config it came from. */
export interface ModelPolicy {
  /** No entries: every model may be chosen. */
  allowAny: boolean;
  /** The allow entries as written (refusals list them). */
  entries: string[];
  /** Exact entries as canonical `provider/model` keys (aliases and bare ids resolved). */
  exact: string[];
  /** Prefix wildcards as canonical keys ending in `/*` (provider lowercased). */
  wildcards: string[];
  /** Where the restriction is written (null when unrestricted). */
  configPath: string | null;
  /** Where a refusal tells the operator to add the model. */
  repairPath: string;
  /** The models the model maps name (the defaults' keys after the reference's defaults, then the agent's; resolved): models.list tags them `configured`. */
  configured: string[];
  /** Aliases a model text may name for this agent (defaults first, the agent's own after: later wins). */
  aliases: ModelAlias[];
  /**
   * The refs a bare model id may belong to, by scope: the agent's own model map first, then the
   * defaults' map with the configured provider rows (a bare id takes the one provider that lists it).
   */
  bareScopes: PolicyRef[][];
}

function record(value: unknown): Record<string, unknown> {
  return isJsonObject(value) ? value : {};
}

/** `provider/model` as the reference keys a model (a model id already carrying its provider stays). */
export function modelKey(ref: PolicyRef): string {
  return ref.model.toLowerCase().startsWith(`${ref.provider.toLowerCase()}/`)
    ? ref.model
    : `${ref.provider}/${ref.model}`;
}

/** Splits `provider/model` at the first `/`; a bare id takes `defaultProvider`. Null when a side is empty. */
export function parsePolicyRef(raw: string, defaultProvider: string): PolicyRef | null {
  const text = raw.trim();
  if (!text) return null;
  const slash = text.indexOf("/");
  const provider = (slash === -1 ? defaultProvider : text.slice(0, slash)).trim().toLowerCase();
  const model = (slash === -1 ? text : text.slice(slash + 1)).trim();
  return provider && model ? { provider, model } : null;
}

/** A policy wildcard (`provider/*`, `provider/ns/*`) as its canonical key, else null. */
export function wildcardKey(raw: string): string | null {
  const segments = raw.trim().split("/").map((s) => s.trim());
  if (segments.at(-1) !== "*" || segments.length < 2) return null;
  const head = segments.slice(0, -1);
  if (!head.every((s) => s.length > 0 && !s.includes("*") && !/\s/u.test(s))) return null;
  return [head[0]!.toLowerCase(), ...head.slice(1), "*"].join("/");
}

/** Whether `key` (`provider/model`) matches a wildcard of the set at a `/` boundary, or is in it. */
export function keyInSet(keys: ReadonlySet<string>, key: string): boolean {
  if (keys.has(key)) return true;
  for (let slash = key.indexOf("/"); slash > 0; slash = key.indexOf("/", slash + 1)) {
    if (keys.has(`${key.slice(0, slash + 1)}*`)) return true;
  }
  return false;
}

/** The agent entry of `agents.entries.<id>` or `agents.list[]`, as written. */
function agentEntry(config: RawConfig, agentId: string | undefined): Record<string, unknown> {
  if (agentId === undefined) return {};
  const agents = record(config.agents);
  const entries = record(agents.entries);
  if (Object.hasOwn(entries, agentId)) return record(entries[agentId]);
  const list = Array.isArray(agents.list) ? agents.list : [];
  return record(list.find((entry) => record(entry).id === agentId));
}

function hasOwnAllow(value: unknown): value is { allow?: unknown } {
  return isJsonObject(value) && Object.hasOwn(value, "allow");
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** Whether the config carries `meta.migrations.modelPolicyAllowlist: true`. */
export function hasPolicyMigrationMarker(config: RawConfig): boolean {
  return record(record((config as Record<string, unknown>).meta).migrations).modelPolicyAllowlist === true;
}

/** The allow entries in force for an agent and where they are written. */
export function policyEntries(
  config: RawConfig,
  agentId?: string,
): { refs: string[]; configPath: string | null; repairPath: string } {
  const defaults = record(record(config.agents).defaults);
  const own = agentEntry(config, agentId).modelPolicy;
  if (agentId !== undefined && hasOwnAllow(own)) {
    return { refs: stringList(own.allow), configPath: AGENT_POLICY_PATH, repairPath: AGENT_POLICY_PATH };
  }
  if (hasOwnAllow(defaults.modelPolicy)) {
    return {
      refs: stringList(defaults.modelPolicy.allow),
      configPath: DEFAULT_POLICY_PATH,
      repairPath: DEFAULT_POLICY_PATH,
    };
  }
  // The legacy map restricts until the config is migrated; a modelPolicy object of any shape
  // (even `{}`) means the operator already chose the new key.
  const legacy =
    hasPolicyMigrationMarker(config) || isJsonObject(defaults.modelPolicy) || !isJsonObject(defaults.models)
      ? []
      : Object.keys(defaults.models).filter((key) => key.trim() !== "");
  return legacy.length > 0
    ? { refs: legacy, configPath: LEGACY_POLICY_PATH, repairPath: DEFAULT_POLICY_PATH }
    : { refs: [], configPath: null, repairPath: DEFAULT_POLICY_PATH };
}

/**
 * Aliases from the model maps: the defaults' then the agent's; an empty alias removes the key's. The
 * defaults' map is read as the reference reads it, its Anthropic API-key defaults applied (`/model
 * sonnet` after onboard: model_status_defaults.ts); the auth mode comes from the declared profiles
 * here (the environment's ANTHROPIC_API_KEY alone is not consulted).
 */
export function modelAliases(config: RawConfig, agentId: string | undefined, defaultProvider: string): ModelAlias[] {
  const byKey = new Map<string, ModelAlias | null>();
  const maps = [referenceModelMap(config, () => undefined), agentEntry(config, agentId).models];
  for (const map of maps) {
    for (const [key, entry] of Object.entries(record(map))) {
      if (wildcardKey(key) || !isJsonObject(entry) || !Object.hasOwn(entry, "alias")) continue;
      const ref = parsePolicyRef(key, defaultProvider);
      if (!ref) continue;
      const alias = typeof entry.alias === "string" ? entry.alias.trim() : "";
      byKey.delete(modelKey(ref));
      byKey.set(modelKey(ref), alias ? { alias, ref } : null);
    }
  }
  return [...byKey.values()].filter((a): a is ModelAlias => a !== null);
}

/** The alias `raw` names (any case; the last configured wins), else undefined. */
export function findAlias(aliases: readonly ModelAlias[], raw: string): ModelAlias | undefined {
  const wanted = raw.trim().toLowerCase();
  const slash = wanted.indexOf("/");
  return aliases.findLast((a) => a.alias.toLowerCase() === wanted) ??
    (slash > 0
      ? aliases.findLast((a) =>
        a.ref.provider === wanted.slice(0, slash) && a.alias.toLowerCase() === wanted.slice(slash + 1)
      )
      : undefined);
}

/** The refs of the configured provider rows (`models.providers.<id>.models[]`). */
export function configuredRows(config: RawConfig): PolicyRef[] {
  const out: PolicyRef[] = [];
  for (const [provider, spec] of Object.entries(record(record(config.models).providers))) {
    for (const model of Array.isArray(record(spec).models) ? record(spec).models as unknown[] : []) {
      const id = typeof model === "string" ? model : record(model).id;
      if (typeof id === "string" && id.trim()) out.push({ provider: provider.toLowerCase(), model: id.trim() });
    }
  }
  return out;
}

function mapRefs(map: unknown): PolicyRef[] {
  return Object.keys(record(map)).filter((key) => key.includes("/") && !key.trim().endsWith("/*"))
    .map((key) => parsePolicyRef(key, "")).filter((ref): ref is PolicyRef => ref !== null);
}

/**
 * The one provider a bare model id belongs to within the first scope that knows it: exact ids
 * rank before ids equal when case-folded; two providers make it ambiguous (undefined).
 */
export function bareOwner(scopes: readonly PolicyRef[][], model: string): string | undefined {
  const wanted = model.trim();
  if (!wanted) return undefined;
  for (const scope of scopes) {
    const exact = new Set(scope.filter((r) => r.model === wanted).map((r) => r.provider));
    const folded = new Set(scope.filter((r) => r.model.toLowerCase() === wanted.toLowerCase()).map((r) => r.provider));
    const matches = exact.size > 0 ? exact : folded;
    if (matches.size > 0) return matches.size === 1 ? [...matches][0] : undefined;
  }
  return undefined;
}

/** Resolves model text to a ref: an alias, `provider/alias`, `provider/model`, or a bare id. */
export function resolveModelText(
  raw: string,
  context: { aliases: readonly ModelAlias[]; defaultProvider: string },
): { ref: PolicyRef; alias?: string } | null {
  const text = raw.trim();
  if (!text) return null;
  const alias = findAlias(context.aliases, text);
  if (alias) return { ref: alias.ref, alias: alias.alias };
  const ref = parsePolicyRef(text, context.defaultProvider);
  return ref ? { ref } : null;
}

/** Resolves an agent's policy: entries in force, resolved to canonical keys. */
export function resolveModelPolicy(
  config: RawConfig,
  agentId: string | undefined,
  defaultProvider: string,
): ModelPolicy {
  const entries = policyEntries(config, agentId);
  const defaults = record(record(config.agents).defaults);
  const aliases = modelAliases(config, agentId, defaultProvider);
  const rows = configuredRows(config);
  const bareScopes = [
    mapRefs(agentEntry(config, agentId).models),
    [...mapRefs(defaults.models), ...rows],
    rows,
  ];
  // The policy's own aliases come from the map of the scope that wrote it: the agent's policy may
  // name the agent's aliases; the defaults' policy only the defaults'.
  const policyAliases = entries.configPath === AGENT_POLICY_PATH
    ? aliases
    : modelAliases(config, undefined, defaultProvider);
  const exact: string[] = [];
  const wildcards: string[] = [];
  for (const raw of entries.refs) {
    if (!raw.trim()) continue;
    const wildcard = wildcardKey(raw);
    if (wildcard) {
      if (!wildcards.includes(wildcard)) wildcards.push(wildcard);
      continue;
    }
    const provider = raw.includes("/") ? defaultProvider : bareOwner(bareScopes, raw) ?? defaultProvider;
    const resolved = resolveModelText(raw, { aliases: policyAliases, defaultProvider: provider });
    if (resolved && !exact.includes(modelKey(resolved.ref))) exact.push(modelKey(resolved.ref));
  }
  const configured: string[] = [];
  // The defaults' map as the reference reads it: its Anthropic API-key defaults are configured models too.
  const defaultsMap = referenceModelMap(config, () => undefined);
  for (const raw of [...Object.keys(defaultsMap), ...Object.keys(record(agentEntry(config, agentId).models))]) {
    if (!raw.trim() || raw.trim().endsWith("/*")) continue;
    const provider = raw.includes("/") ? defaultProvider : bareOwner(bareScopes, raw) ?? defaultProvider;
    const resolved = resolveModelText(raw, { aliases, defaultProvider: provider });
    if (resolved && !configured.includes(modelKey(resolved.ref))) configured.push(modelKey(resolved.ref));
  }
  return {
    allowAny: entries.refs.length === 0,
    entries: entries.refs,
    configured,
    exact,
    wildcards,
    configPath: entries.configPath,
    repairPath: entries.repairPath,
    aliases,
    bareScopes,
  };
}

/** The policy of a config with no restriction (hand-built agents in tests, cron without an agent). */
export function openModelPolicy(): ModelPolicy {
  return {
    allowAny: true,
    entries: [],
    configured: [],
    exact: [],
    wildcards: [],
    configPath: null,
    repairPath: DEFAULT_POLICY_PATH,
    aliases: [],
    bareScopes: [],
  };
}

/** Whether the policy lets a session choose `ref`. */
export function policyAllows(policy: ModelPolicy, ref: PolicyRef): boolean {
  if (policy.allowAny) return true;
  const provider = ref.provider.toLowerCase();
  const key = `${provider}/${ref.model.trim()}`;
  if (policy.exact.some((entry) => entry.toLowerCase().split("/")[0] === provider && entry === key)) return true;
  const wildcards = new Set(policy.wildcards);
  return policy.wildcards.some((w) => w.startsWith(`${provider}/`)) && keyInSet(wildcards, key);
}

/**
 * The catalog rows a picker offers under the policy (models.list's default view): every row when
 * unrestricted; else the rows the wildcards match plus the exact entries, an exact entry the
 * catalog lacks listed after them.
 */
export function visibleModels<T extends PolicyRef>(policy: ModelPolicy, catalog: readonly T[]): (T | PolicyRef)[] {
  if (policy.allowAny) return [...catalog];
  const wildcards = new Set(policy.wildcards);
  const exact = new Set(policy.exact);
  const keyOf = (r: PolicyRef) => `${r.provider.toLowerCase()}/${r.model}`;
  const shown = catalog.filter((row) => keyInSet(wildcards, keyOf(row)) || exact.has(keyOf(row)));
  const missing = policy.exact.filter((key) => !catalog.some((row) => keyOf(row) === key))
    .map((key) => parsePolicyRef(key, "")).filter((ref): ref is PolicyRef => ref !== null);
  return [...shown, ...missing];
}
