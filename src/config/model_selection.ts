// The config edits of `openclaw models set|set-image|aliases|fallbacks`, as the reference makes them
// (recorded against OpenClaw 2026.9.6): a model input resolves through the configured aliases
// (`agents.defaults.models.<key>.alias`) to a canonical `provider/model` key, and every selection
// keeps an entry for its key under `agents.defaults.models`. Pure: trees in, trees out.
import { isJsonObject } from "../log/json_object.ts";
import { builtInProvider } from "./built_in_providers.ts";
import { BUILTIN_ALIASES } from "./builtin_aliases.ts";

/** The provider a bare model id falls back to, as the reference's DEFAULT_PROVIDER. */
const DEFAULT_PROVIDER = "openai";

/** The reference's default model when none is configured (its DEFAULT_PROVIDER/DEFAULT_MODEL). */
export const REFERENCE_DEFAULT_MODEL = { provider: DEFAULT_PROVIDER, model: "gpt-6-astra" } as const;

/** A refusal in the reference's words (printed as is, exit 1). */
export class ModelSelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModelSelectionError";
  }
}

/** A resolved model reference. */
export interface ModelTarget {
  provider: string;
  model: string;
}

/** The defaults key a command edits: the text model or the image model. */
export type ModelField = "model" | "imageModel";

function record(value: unknown): Record<string, unknown> {
  return isJsonObject(value) ? value : {};
}

/** `agents.defaults` of a tree (empty when absent). */
export function defaultsOf(tree: Record<string, unknown>): Record<string, unknown> {
  return record(record(tree.agents).defaults);
}

/** `agents.defaults.models` of a tree: canonical key → entry. */
export function modelEntries(tree: Record<string, unknown>): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.entries(record(defaultsOf(tree).models)).map(([k, v]) => [k, record(v)]));
}

/** The configured aliases, alias → model key, sorted by alias as the reference lists them. */
export function configuredAliases(tree: Record<string, unknown>): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [key, entry] of Object.entries(modelEntries(tree))) {
    const alias = typeof entry.alias === "string" ? entry.alias.trim() : "";
    if (alias) pairs.push([alias, key]);
  }
  return pairs.sort(([a], [b]) => a.localeCompare(b));
}

/** The canonical key of a target. */
export function modelKey(target: ModelTarget): string {
  return `${target.provider}/${target.model}`;
}

function providers(tree: Record<string, unknown>): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.entries(record(record(tree.models).providers)).map(([k, v]) => [k, record(v)]));
}

function providerModelIds(provider: Record<string, unknown>): string[] {
  const list = Array.isArray(provider.models) ? provider.models : [];
  return list.map((m) => record(m).id).filter((id): id is string => typeof id === "string");
}

/**
 * Resolves a model input as the reference does: an alias (any case; the configured ones, or those
 * given, e.g. with the reference's defaults: model_status_defaults.ts), `provider/model` split on
 * the first `/` (a built-in provider's own id alias normalized: `anthropic/fable` →
 * `anthropic/claude-fable-5-1`), or a bare id under `openai` (recorded: `models set m2` writes
 * `openai/m2` even when a configured provider offers `m2`; `models set haiku` writes `openai/haiku`).
 */
export function resolveModelTarget(
  tree: Record<string, unknown>,
  raw: string,
  options: {
    aliases?: readonly [string, string][];
    /** A provider's own id aliases (built_in_catalog.ts's normalizeBuiltInModelId, passed by the commands that load the catalog). */
    normalizeId?: (provider: string, id: string) => string;
  } = {},
): ModelTarget {
  const text = raw.trim();
  const aliases = options.aliases ?? configuredAliases(tree);
  const alias = aliases.find(([name]) => name.toLowerCase() === text.toLowerCase());
  const source = alias ? alias[1] : text;
  const slash = source.indexOf("/");
  if (slash === -1 && source) return { provider: DEFAULT_PROVIDER, model: source };
  const provider = source.slice(0, slash).trim().toLowerCase();
  const model = source.slice(slash + 1).trim();
  if (!provider || !model) throw new ModelSelectionError(`Invalid model reference: ${raw}`);
  return { provider, model: options.normalizeId ? options.normalizeId(provider, model) : model };
}

/**
 * Checks a selection against the providers this gateway knows (`models.providers` and the built-in
 * ones): an unknown provider is refused; an id their catalog lacks is saved with the reference's
 * warning (a built-in provider's static catalog counts: built_in_catalog.ts).
 */
export function inspectSelection(
  tree: Record<string, unknown>,
  target: ModelTarget,
  options: { builtInHas?: (provider: string, id: string) => boolean } = {},
): string | undefined {
  const ref = modelKey(target);
  const match = Object.entries(providers(tree)).find(([id]) => id.toLowerCase() === target.provider);
  if (builtInProvider(target.provider)) {
    const known = options.builtInHas?.(target.provider, target.model) === true ||
      (match !== undefined && providerModelIds(match[1]).includes(target.model));
    return known ? undefined : notInCatalog(ref, target.provider);
  }
  if (!match) {
    throw new ModelSelectionError(
      `Unknown model provider "${target.provider}". Install a plugin that declares it or configure it under models.providers before selecting "${ref}". Config was not changed.`,
    );
  }
  const ids = providerModelIds(match[1]);
  if (ids.includes(target.model)) return undefined;
  return ids.length > 0
    ? notInCatalog(ref, target.provider)
    : `Note: Provider "${target.provider}" has no local model catalog, so "${ref}" could not be checked offline. The selection was saved.`;
}

function notInCatalog(ref: string, provider: string): string {
  return `Warning: Model "${ref}" is not in the local model catalog for provider "${provider}". The provider is installed or configured, so the selection was saved; verify the model ID if it is not a newly released or self-hosted model.`;
}

/** A `{primary, fallbacks}` object for a defaults field written as a string, an object or nothing. */
function listLike(value: unknown): Record<string, unknown> {
  if (typeof value === "string") return value.trim() ? { primary: value.trim() } : {};
  return { ...record(value) };
}

/** A ref as the reference stores it (normalizeAgentModelRefForConfig): trimmed, its provider lowercased; `${VAR}` kept. */
function storedRef(ref: string): string {
  // A `${VAR}` reference stays as written (the reference restores env refs on write).
  if (ref.includes("${")) return ref;
  const text = ref.trim();
  const slash = text.indexOf("/");
  const provider = text.slice(0, slash).trim().toLowerCase();
  const model = text.slice(slash + 1).trim();
  return slash > 0 && provider && model ? `${provider}/${model}` : text;
}

/**
 * The field the reference writes back (its mergePrimaryFallbackConfig): the patch applied, and the
 * string primary and fallbacks already there normalized as {@link storedRef} stores them.
 */
function mergedField(value: unknown, patch: { primary?: string; fallbacks?: string[] }): Record<string, unknown> {
  const next = { ...listLike(value), ...patch };
  if (typeof next.primary === "string") next.primary = storedRef(next.primary);
  if (Array.isArray(next.fallbacks)) {
    next.fallbacks = next.fallbacks.map((entry) => typeof entry === "string" ? storedRef(entry) : entry);
  }
  return next;
}

/** The fallbacks of a defaults field as written. */
export function fallbacksOf(tree: Record<string, unknown>, field: ModelField): string[] {
  const list = listLike(defaultsOf(tree)[field]).fallbacks;
  return Array.isArray(list) ? list.filter((v): v is string => typeof v === "string") : [];
}

/** The primary of a defaults field as written. */
export function primaryOf(tree: Record<string, unknown>, field: ModelField): string | undefined {
  const primary = listLike(defaultsOf(tree)[field]).primary;
  return typeof primary === "string" ? primary : undefined;
}

/** A new tree with `agents.defaults` patched. */
function withDefaults(tree: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const agents = record(tree.agents);
  return { ...tree, agents: { ...agents, defaults: { ...defaultsOf(tree), ...patch } } };
}

/** The canonical key a models-map key stands for (no alias lookup), as the reference's canonicalModelKeys. */
function canonicalKey(raw: string): string | undefined {
  const text = raw.trim();
  const slash = text.indexOf("/");
  if (slash === -1) return text ? `${DEFAULT_PROVIDER}/${text}` : undefined;
  const provider = text.slice(0, slash).trim().toLowerCase();
  const model = text.slice(slash + 1).trim();
  return provider && model ? `${provider}/${model}` : undefined;
}

/** The reference's mergeAgentModelEntryForConfig: `incoming` over `existing`, their `params` merged. */
function mergeEntry(existing: Record<string, unknown>, incoming: Record<string, unknown>): Record<string, unknown> {
  const params = isJsonObject(existing.params) || isJsonObject(incoming.params)
    ? { params: { ...record(existing.params), ...record(incoming.params) } }
    : {};
  return { ...existing, ...incoming, ...params };
}

/**
 * The models map with an entry for `key` (kept as it is when present); entries under other spellings
 * of the same key (`Local/m2` for `local/m2`) are folded into it and dropped, as the reference does.
 */
function withEntry(tree: Record<string, unknown>, key: string): Record<string, unknown> {
  const models = { ...record(defaultsOf(tree).models) };
  const legacy = Object.keys(models).filter((other) => other !== key && canonicalKey(other) === key);
  let folded: Record<string, unknown> = {};
  for (const other of legacy) folded = mergeEntry(folded, record(models[other]));
  models[key] = mergeEntry(folded, record(models[key]));
  for (const other of legacy) delete models[other];
  return models;
}

/** `models set` / `set-image`: the field's primary becomes the key, which gets a models entry. */
export function setPrimary(tree: Record<string, unknown>, field: ModelField, target: ModelTarget) {
  const key = modelKey(target);
  const next = mergedField(defaultsOf(tree)[field], { primary: key });
  return withDefaults(tree, { [field]: next, models: withEntry(tree, key) });
}

/** `aliases add`: the alias moves to the target's entry; another model holding it is refused. */
export function addAlias(tree: Record<string, unknown>, alias: string, target: ModelTarget) {
  const key = modelKey(target);
  const models = withEntry(tree, key);
  for (const [other, entry] of Object.entries(models)) {
    const existing = record(entry).alias;
    if (other !== key && typeof existing === "string" && existing.trim().toLowerCase() === alias.toLowerCase()) {
      throw new ModelSelectionError(`Alias ${alias} already points to ${other}.`);
    }
  }
  models[key] = { ...record(models[key]), alias };
  return withDefaults(tree, { models });
}

/** `aliases remove`: every entry carrying the alias loses it; none is refused. */
export function removeAlias(tree: Record<string, unknown>, alias: string) {
  const models = { ...record(defaultsOf(tree).models) };
  let found = false;
  for (const [key, entry] of Object.entries(models)) {
    const existing = record(entry).alias;
    if (typeof existing === "string" && existing.trim().toLowerCase() === alias.toLowerCase()) {
      const { alias: _dropped, ...rest } = record(entry);
      models[key] = rest;
      found = true;
    }
  }
  if (!found) {
    const builtin = BUILTIN_ALIASES[alias.toLowerCase()];
    const normalized: Record<string, Record<string, unknown>> = {};
    for (const [key, entry] of Object.entries(models)) {
      const stored = storedRef(key);
      normalized[stored] = mergeEntry(normalized[stored] ?? {}, record(entry));
    }
    if (builtin && normalized[builtin] && normalized[builtin].alias === undefined) {
      throw new ModelSelectionError(
        `Cannot remove "${alias}": it is a built-in alias for "${builtin}" provided automatically by OpenClaw and is not stored in your config file. To shadow it with a different target, run openclaw models aliases add ${alias} <model>.`,
      );
    }
    throw new ModelSelectionError(
      `Alias not found: ${alias}. Run openclaw models aliases list to see configured aliases.`,
    );
  }
  return withDefaults(tree, { models });
}

/** The alias names the reference accepts (its normalizeAlias). */
export function normalizeAlias(raw: string): string {
  const trimmed = raw.trim();
  if (!trimmed) throw new ModelSelectionError("Alias cannot be empty.");
  if (!/^[A-Za-z0-9_.:-]+$/.test(trimmed)) {
    throw new ModelSelectionError("Alias must use letters, numbers, dots, underscores, colons, or dashes.");
  }
  return trimmed;
}

function withFallbacks(tree: Record<string, unknown>, field: ModelField, fallbacks: string[]) {
  return mergedField(defaultsOf(tree)[field], { fallbacks });
}

/** The canonical key each fallback resolves to (undefined when it does not). */
function fallbackKeys(tree: Record<string, unknown>, field: ModelField): (string | undefined)[] {
  return fallbacksOf(tree, field).map((entry) => {
    try {
      return modelKey(resolveModelTarget(tree, entry));
    } catch {
      return undefined;
    }
  });
}

/** `fallbacks add`: appended once (an entry resolving to the same key is not repeated). */
export function addFallback(tree: Record<string, unknown>, field: ModelField, target: ModelTarget) {
  const key = modelKey(target);
  const existing = fallbacksOf(tree, field);
  const list = fallbackKeys(tree, field).includes(key) ? existing : [...existing, key];
  return withDefaults(tree, { [field]: withFallbacks(tree, field, list), models: withEntry(tree, key) });
}

/** `fallbacks remove`: every entry resolving to the target's key goes; none is refused. */
export function removeFallback(tree: Record<string, unknown>, field: ModelField, target: ModelTarget) {
  const key = modelKey(target);
  const keys = fallbackKeys(tree, field);
  const existing = fallbacksOf(tree, field);
  const kept = existing.filter((_, i) => keys[i] !== key);
  if (kept.length === existing.length) {
    const list = field === "imageModel" ? "models image-fallbacks list" : "models fallbacks list";
    const label = field === "imageModel" ? "Image fallback" : "Fallback";
    throw new ModelSelectionError(
      `${label} not found: ${key}. Run openclaw ${list} to see configured fallbacks.`,
    );
  }
  return withDefaults(tree, { [field]: withFallbacks(tree, field, kept) });
}

/** `fallbacks clear`: the list becomes empty (written as `[]`). */
export function clearFallbacks(tree: Record<string, unknown>, field: ModelField) {
  return withDefaults(tree, { [field]: withFallbacks(tree, field, []) });
}
