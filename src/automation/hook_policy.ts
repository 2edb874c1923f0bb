// The reference's per-hook decisions, pure: which `hooks.internal.entries` key a hook reads, whether
// config enables it (workspace hooks need an explicit `enabled: true`), whether its requirements
// hold on this host, and which hooks the gateway selects to load (the master switch, named entries
// as an allowlist, open-ended discovery).
import { isJsonObject } from "../log/json_object.ts";
import type { HookRequires, HookSource } from "./hook_metadata.ts";
import type { DiscoveredHook } from "./hook_discovery.ts";

/** One `hooks.internal.entries.<key>` as written: `enabled`, `env` and the hook's own options. */
export type HookEntryConfig = Record<string, unknown> & { enabled?: unknown; env?: unknown };

/** What requirement checks ask of the host (the process env, PATH, the platform). */
export interface HookHost {
  env(name: string): string | undefined;
  hasBinary(name: string): boolean;
  /** node:process's platform name (`linux`, `darwin`, `win32`). */
  platform: string;
}

/** Requirement lists, as declared or as missing. */
export interface HookRequirementLists extends HookRequires {
  os: string[];
}

/** Whether a hook's requirements hold, and what is missing. */
export interface HookRequirementFacts {
  required: HookRequirementLists;
  missing: HookRequirementLists;
  requirementsSatisfied: boolean;
  configChecks: { path: string; satisfied: boolean }[];
}

/** Config paths a hook may require that count as set when absent (`workspace.dir` is an internal marker). */
const CONFIG_DEFAULTS: Readonly<Record<string, boolean>> = {
  "browser.enabled": true,
  "browser.evaluateEnabled": true,
  "workspace.dir": true,
};
const BLOCKED_KEYS = new Set(["__proto__", "prototype", "constructor"]);

/** The `hooks.internal` section of a raw config tree (empty when absent or malformed). */
export function internalHooksSection(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const hooks = config.hooks;
  return isJsonObject(hooks) && isJsonObject(hooks.internal) ? hooks.internal : {};
}

/** The `hooks.internal.entries` key of a hook: its `metadata.openclaw.hookKey`, else its name. */
export function hookKeyOf(hook: Pick<DiscoveredHook, "name" | "metadata">): string {
  return hook.metadata?.hookKey ?? hook.name;
}

/** The config entry stored under `hookKey`, if any. */
export function hookEntryConfig(
  config: Readonly<Record<string, unknown>>,
  hookKey: string,
): HookEntryConfig | undefined {
  const entries = internalHooksSection(config).entries;
  if (!isJsonObject(entries) || !Object.hasOwn(entries, hookKey)) return undefined;
  const entry = entries[hookKey];
  return isJsonObject(entry) ? entry : undefined;
}

/** Whether config lets a hook run, before requirements; `reason` words why not as the reference does. */
export function hookEnableState(
  source: HookSource,
  entry: HookEntryConfig | undefined,
): { enabled: boolean; reason?: string } {
  if (source === "openclaw-plugin") return { enabled: true };
  if (entry?.enabled === false) return { enabled: false, reason: "disabled in config" };
  if (source === "openclaw-workspace" && entry?.enabled !== true) {
    return { enabled: false, reason: "workspace hook (disabled by default)" };
  }
  return { enabled: true };
}

function configValue(config: Readonly<Record<string, unknown>>, path: string): unknown {
  let node: unknown = config;
  for (const part of path.split(".").filter(Boolean)) {
    if (!isJsonObject(node) || BLOCKED_KEYS.has(part)) return undefined;
    node = node[part];
  }
  return node;
}

/** Whether a dotted config path is truthy, with the reference's hook defaults for unset paths. */
export function hookConfigPathTruthy(config: Readonly<Record<string, unknown>>, path: string): boolean {
  const value = configValue(config, path);
  const blocked = path.split(".").some((part) => BLOCKED_KEYS.has(part));
  if (value === undefined && !blocked && Object.hasOwn(CONFIG_DEFAULTS, path)) return CONFIG_DEFAULTS[path]!;
  if (value === undefined || value === null) return false;
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value !== 0;
  if (typeof value === "string") return value.trim().length > 0;
  return true;
}

function nonBlank(value: unknown): boolean {
  return typeof value === "string" && value.trim().length > 0;
}

function normalizeOs(os: string): string {
  const text = os.trim().toLowerCase();
  return text === "macos" ? "darwin" : text;
}

/** A hook's requirements against this host and config; per-hook `env` satisfies env requirements. */
export function hookRequirements(
  hook: Pick<DiscoveredHook, "metadata">,
  options: { config: Readonly<Record<string, unknown>>; entry: HookEntryConfig | undefined; host: HookHost },
): HookRequirementFacts {
  const metadata = hook.metadata;
  const always = metadata?.always === true;
  const required: HookRequirementLists = {
    bins: metadata?.requires?.bins ?? [],
    anyBins: metadata?.requires?.anyBins ?? [],
    env: metadata?.requires?.env ?? [],
    config: metadata?.requires?.config ?? [],
    os: metadata?.os ?? [],
  };
  const { host, entry, config } = options;
  const entryEnv = isJsonObject(entry?.env) ? entry.env : {};
  const configChecks = required.config.map((path) => ({ path, satisfied: hookConfigPathTruthy(config, path) }));
  const osOk = required.os.length === 0 || required.os.map(normalizeOs).includes(normalizeOs(host.platform));
  const missing: HookRequirementLists = {
    bins: always ? [] : required.bins.filter((bin) => !host.hasBinary(bin)),
    anyBins: always || required.anyBins.length === 0 || required.anyBins.some((bin) => host.hasBinary(bin))
      ? []
      : required.anyBins,
    env: always ? [] : required.env.filter((name) => !nonBlank(host.env(name)) && !nonBlank(entryEnv[name])),
    config: always ? [] : configChecks.filter((check) => !check.satisfied).map((check) => check.path),
    os: osOk ? [] : required.os,
  };
  const requirementsSatisfied = missing.os.length === 0 &&
    (always || missing.bins.length + missing.anyBins.length + missing.env.length + missing.config.length === 0);
  return { required, missing, requirementsSatisfied, configChecks };
}

/** Which hooks the gateway loads under a config: whether it loads any, and the allowlist (null: any). */
export interface HookSelection {
  /** False: the master switch is off, or nothing asks for directory hooks. */
  configured: boolean;
  /** The master switch: `hooks.internal.enabled !== false`. */
  enabled: boolean;
  /** Selected names or keys; null means open-ended discovery. */
  names: ReadonlySet<string> | null;
  /** Every name or key config or an install mentions, enabled or not. */
  declaredNames: ReadonlySet<string>;
}

/** A tracked hook-pack install (machine state): the hook names it declared, if any. */
export interface HookPackInstall {
  hooks?: readonly string[] | undefined;
}

/** The reference's selection table (docs/hooks.md, Internal hooks) from `hooks.internal` and tracked installs. */
export function internalHookSelection(
  config: Readonly<Record<string, unknown>>,
  installs: Readonly<Record<string, HookPackInstall>> = {},
): HookSelection {
  const internal = internalHooksSection(config);
  const master = internal.enabled;
  const entries = isJsonObject(internal.entries) ? internal.entries : {};
  const load = isJsonObject(internal.load) ? internal.load : {};
  const extraDirs = Array.isArray(load.extraDirs) ? load.extraDirs : [];
  const names = new Set<string>();
  const declaredNames = new Set<string>();
  let open = extraDirs.some((dir) => typeof dir === "string" && dir.trim().length > 0);
  for (const [name, entry] of Object.entries(entries)) {
    const trimmed = name.trim();
    if (!trimmed) continue;
    declaredNames.add(trimmed);
    if (!(isJsonObject(entry) && entry.enabled === false)) names.add(trimmed);
  }
  for (const [installId, install] of Object.entries(installs)) {
    const hookNames = install.hooks ?? [];
    open ||= hookNames.length === 0 && installId.trim() !== "";
    for (const name of hookNames) {
      const trimmed = name.trim();
      if (trimmed) {
        declaredNames.add(trimmed);
        names.add(trimmed);
      }
    }
  }
  const anyEnabledEntry = Object.values(entries).some((entry) => !(isJsonObject(entry) && entry.enabled === false));
  const configured = master !== false &&
    (master === true || anyEnabledEntry || open || Object.keys(installs).length > 0);
  const selected = master === false
    ? new Set<string>()
    : open || (declaredNames.size === 0 && master === true)
    ? null
    : names;
  return { configured, enabled: master !== false, names: selected, declaredNames };
}

/** Whether a selection names a hook, by its name or its hook key. */
export function isHookSelected(
  names: ReadonlySet<string> | null,
  hook: Pick<DiscoveredHook, "name" | "metadata">,
): boolean {
  return names === null || names.has(hook.name) || names.has(hookKeyOf(hook));
}
