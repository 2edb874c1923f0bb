// What the gateway loads: the discovered hooks that the selection names, config enables and this
// host can run, each with its handler location (a bundled name or an absolute module path). The
// runtime (event dispatch, handler import) calls this on start and on a `hooks.internal` reload.
import {
  type DiscoveredHook,
  discoverHooks,
  type HookDiscoveryOptions,
  type HookHandlerRef,
} from "./hook_discovery.ts";
import {
  hookEnableState,
  type HookEntryConfig,
  hookEntryConfig,
  type HookHost,
  hookKeyOf,
  type HookPackInstall,
  hookRequirements,
  internalHookSelection,
  isHookSelected,
} from "./hook_policy.ts";

/** One hook to load. */
export interface SelectedHook {
  name: string;
  hookKey: string;
  source: DiscoveredHook["source"];
  events: string[];
  /** The handler module's export to call. */
  exportName: string;
  handler: HookHandlerRef;
  /** `hooks.internal.entries.<hookKey>` as written (options for the handler). */
  entry: HookEntryConfig | undefined;
}

/** The load plan: the master switch, and the hooks to register. */
export interface InternalHookPlan {
  enabled: boolean;
  hooks: SelectedHook[];
}

/** The hooks to load under `config` (a raw config tree), discovered per `discovery`. */
export function selectInternalHooks(
  config: Readonly<Record<string, unknown>>,
  options: {
    discovery: HookDiscoveryOptions;
    host: HookHost;
    installs?: Readonly<Record<string, HookPackInstall>> | undefined;
  },
): InternalHookPlan {
  const selection = internalHookSelection(config, options.installs);
  if (!selection.configured) return { enabled: selection.enabled, hooks: [] };
  const hooks = discoverHooks(options.discovery).flatMap((hook): SelectedHook[] => {
    if (!isHookSelected(selection.names, hook)) return [];
    const hookKey = hookKeyOf(hook);
    const entry = hookEntryConfig(config, hookKey);
    if (!hookEnableState(hook.source, entry).enabled) return [];
    if (!hookRequirements(hook, { config, entry, host: options.host }).requirementsSatisfied) return [];
    const events = hook.metadata?.events ?? [];
    if (hook.invalidMetadata || events.length === 0) return [];
    return [{
      name: hook.name,
      hookKey,
      source: hook.source,
      events,
      exportName: hook.metadata?.export ?? "default",
      handler: hook.handler,
      entry,
    }];
  });
  return { enabled: selection.enabled, hooks };
}
