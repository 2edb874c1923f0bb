// The `hooks.status` report in the reference's shape (and key order): per hook its identity, the
// config enable state, requirements on this host, whether it is loadable and why not. An inventory,
// not a load check: it ignores the master switch and the named-entry selection, as the reference's.
import { type DiscoveredHook, discoverHooks, type HookDiscoveryOptions } from "./hook_discovery.ts";
import { isKnownHookEvent } from "./hook_metadata.ts";
import {
  hookEnableState,
  hookEntryConfig,
  type HookHost,
  hookKeyOf,
  type HookRequirementLists,
  hookRequirements,
} from "./hook_policy.ts";

/** One hook as `hooks.status` reports it. */
export interface HookStatus {
  name: string;
  description: string;
  source: string;
  pluginId?: string | undefined;
  filePath: string;
  baseDir: string;
  handlerPath: string;
  hookKey: string;
  emoji?: string | undefined;
  homepage?: string | undefined;
  events: string[];
  unknownEvents: string[];
  always: boolean;
  enabledByConfig: boolean;
  requirementsSatisfied: boolean;
  loadable: boolean;
  blockedReason?: string | undefined;
  managedByPlugin: boolean;
  requirements: HookRequirementLists;
  missing: HookRequirementLists;
  configChecks: { path: string; satisfied: boolean }[];
  install: { id: string; kind: string; label: string; bins: string[] }[];
}

/** The whole report. */
export interface HooksReport {
  workspaceDir: string;
  managedHooksDir: string;
  hooks: HookStatus[];
}

function installOptions(hook: DiscoveredHook): HookStatus["install"] {
  return (hook.metadata?.install ?? []).map((spec, index) => {
    let label = (spec.label ?? "").trim();
    if (!label) {
      if (spec.kind === "bundled") label = "Bundled with OpenClaw";
      else if (spec.kind === "npm" && spec.package) label = `Install ${spec.package} (npm)`;
      else if (spec.kind === "git" && spec.repository) label = `Install from ${spec.repository}`;
      else label = "Run installer";
    }
    return { id: (spec.id ?? `${spec.kind}-${index}`).trim(), kind: spec.kind, label, bins: spec.bins ?? [] };
  });
}

/** One hook's status under a raw config tree on this host. */
export function hookStatus(
  hook: DiscoveredHook,
  config: Readonly<Record<string, unknown>>,
  host: HookHost,
): HookStatus {
  const hookKey = hookKeyOf(hook);
  const entry = hookEntryConfig(config, hookKey);
  const enableState = hookEnableState(hook.source, entry);
  const events = hook.metadata?.events ?? [];
  const facts = hookRequirements(hook, { config, entry, host });
  const emoji = hook.metadata?.emoji ?? hook.frontmatter.emoji;
  const homepage = (hook.metadata?.homepage ?? hook.frontmatter.homepage ?? hook.frontmatter.website ??
    hook.frontmatter.url)?.trim();
  const hasEvents = events.length > 0;
  return {
    name: hook.name,
    description: hook.description,
    source: hook.source,
    pluginId: hook.pluginId,
    filePath: hook.filePath,
    baseDir: hook.baseDir,
    handlerPath: hook.handlerPath,
    hookKey,
    emoji: emoji || undefined,
    homepage: homepage || undefined,
    events,
    unknownEvents: events.filter((event) => !isKnownHookEvent(event)),
    always: hook.metadata?.always === true,
    enabledByConfig: enableState.enabled,
    requirementsSatisfied: facts.requirementsSatisfied,
    loadable: enableState.enabled && facts.requirementsSatisfied && hasEvents,
    blockedReason: enableState.reason ??
      (!facts.requirementsSatisfied ? "missing requirements" : hasEvents ? undefined : "no events defined"),
    managedByPlugin: hook.source === "openclaw-plugin",
    requirements: facts.required,
    missing: facts.missing,
    configChecks: facts.configChecks,
    install: installOptions(hook),
  };
}

/** The `hooks.status` report for one workspace. */
export function hooksReport(
  config: Readonly<Record<string, unknown>>,
  options: { discovery: HookDiscoveryOptions; host: HookHost },
): HooksReport {
  return {
    workspaceDir: options.discovery.workspaceDir,
    managedHooksDir: options.discovery.managedHooksDir,
    hooks: discoverHooks(options.discovery).map((hook) => hookStatus(hook, config, options.host)),
  };
}
