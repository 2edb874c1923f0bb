// Loads the internal hooks `hooks.internal` selects into the gateway's one dispatcher, as the reference's
// loader does: bundled hooks run this gateway's own handlers; managed, workspace and extra-dir hooks are
// trusted local code imported from the handler module discovery found. It runs after the listener is up
// (a post-listen step) and again when a reload changes `hooks.internal` or the default workspace; with no
// hook configured it imports nothing but the selection, and no `node:` module: this runs in every gateway's
// deferred start, and the first `node:` import loads Deno's Node compatibility layer (about 3 MB of a settled
// gateway's RSS and 20–40 ms of CPU; docs/performance.md, session 37).
import { joinPath } from "../config/posix_path.ts";
import type { AgentsConfig } from "../agent/agents_config.ts";
import {
  type InternalHookHandler,
  type InternalHookRegistration,
  type InternalHooks,
  KNOWN_INTERNAL_HOOK_EVENTS,
} from "../agent/internal_hooks.ts";
import type { SelectedHook } from "../automation/hook_selection.ts";
import type { HookHost } from "../automation/hook_policy.ts";
import { isJsonObject } from "../log/json_object.ts";
import { getLogger, type Logger } from "../log/logger.ts";
import type { SessionStore } from "../sessions/store.ts";

/** What loading the hooks reads. */
export interface InternalHooksWiringDeps {
  hooks: InternalHooks;
  stateDir: string;
  home: string;
  cwd: string;
  /** The config tree as written. */
  rawConfig(): Record<string, unknown>;
  agents(): AgentsConfig;
  sessions: Pick<SessionStore, "windowMessages">;
  /** The process environment (`TZ` for session-memory's dates). */
  env(name: string): string | undefined;
  /** The host requirement checks ask (env, PATH, platform). */
  host(): Promise<HookHost>;
  /** The bundled `boot-md` hook's run of BOOT.md in one workspace (absent: the hook only logs). */
  bootRun?: ((agentId: string, prompt: string) => Promise<void>) | undefined;
}

/** What a load did. */
export interface InternalHooksLoad {
  /** Whether `hooks.internal` asks for hooks at all (the reference's `configured`). */
  configured: boolean;
  loaded: number;
}

/** The config facts a handler set depends on: a reload that changes none of them keeps the set. */
export function internalHooksFingerprint(config: Readonly<Record<string, unknown>>, agents: AgentsConfig): string {
  const hooks = isJsonObject(config.hooks) ? config.hooks.internal : undefined;
  const workspace = agents.agents.find((agent) => agent.id === agents.defaultAgentId)?.workspace;
  return JSON.stringify([hooks ?? null, workspace ?? null]);
}

/** A module URL keyed by the file's times and size, so an edited handler is imported afresh on reload. */
async function moduleUrl(path: string): Promise<string> {
  // Only for a hook's own handler module: trusted local code that is about to load anyway.
  const { pathToFileURL } = await import("node:url");
  const base = pathToFileURL(path).href;
  try {
    const stat = await Deno.stat(path);
    return `${base}?t=${stat.mtime?.getTime() ?? 0}&c=${stat.ctime?.getTime() ?? 0}&s=${stat.size}`;
  } catch {
    return `${base}?t=${Date.now()}`;
  }
}

/** Imports a hook's handler module and picks its export, or throws the reference's reason. */
async function importHandler(hook: SelectedHook, path: string): Promise<InternalHookHandler> {
  const mod = await import(await moduleUrl(path));
  const handler = mod[hook.exportName];
  if (typeof handler !== "function") throw new Error(`Handler '${hook.exportName}' is not a function`);
  return handler as InternalHookHandler;
}

/** This gateway's handler of a bundled hook (imported only when the hook is selected). */
async function bundledHandler(
  name: string,
  deps: InternalHooksWiringDeps,
): Promise<InternalHookHandler> {
  const workspaceOf = (agentId: string) => deps.agents().agents.find((agent) => agent.id === agentId)?.workspace;
  const entry = () => {
    const entries = (deps.rawConfig().hooks as { internal?: { entries?: Record<string, unknown> } })?.internal
      ?.entries;
    const value = entries?.[name];
    return isJsonObject(value) ? value : undefined;
  };
  switch (name) {
    case "command-logger": {
      const { commandLogger } = await import("../automation/hook_command_logger.ts");
      return commandLogger({ stateDir: deps.stateDir, log: getLogger("hooks/command-logger") });
    }
    case "session-memory": {
      const { sessionMemory } = await import("../automation/hook_session_memory.ts");
      return sessionMemory({
        windowMessages: (agentId, sessionId) => deps.sessions.windowMessages(agentId, sessionId),
        workspaceOf,
        timeZone: () => {
          const agents = deps.rawConfig().agents as { defaults?: { userTimezone?: unknown } } | undefined;
          const zone = agents?.defaults?.userTimezone;
          return typeof zone === "string" ? zone : deps.env("TZ");
        },
        entry,
        home: deps.home,
        log: getLogger("hooks/session-memory"),
      });
    }
    case "compaction-notifier":
      return (await import("../automation/hook_compaction_notifier.ts")).compactionNotifier;
    case "boot-md": {
      const { bootChecklist } = await import("../automation/hook_boot_md.ts");
      return bootChecklist({
        workspaces: () => deps.agents().agents.map((agent) => ({ agentId: agent.id, workspace: agent.workspace })),
        run: deps.bootRun,
        log: getLogger("gateway/boot"),
      });
    }
    case "bootstrap-extra-files": {
      const { bootstrapExtraFiles } = await import("../automation/hook_bootstrap_extra_files.ts");
      return bootstrapExtraFiles({ entry, log: getLogger("bootstrap-extra-files") });
    }
  }
  throw new Error(`no bundled handler named ${name}`);
}

/**
 * Selects and loads the hooks of the config in force and installs them as the dispatcher's handler set (an
 * empty set when none is configured). A hook that fails to load is logged with the reference's words and
 * skipped; the others still load.
 */
export async function loadInternalHooks(deps: InternalHooksWiringDeps): Promise<InternalHooksLoad> {
  const config = deps.rawConfig();
  const loaderLog: Logger = getLogger("hooks:loader");
  const { internalHookSelection } = await import("../automation/hook_policy.ts");
  if (!internalHookSelection(config).configured) {
    deps.hooks.replace([]);
    return { configured: false, loaded: 0 };
  }
  const { selectInternalHooks } = await import("../automation/hook_selection.ts");
  const agents = deps.agents();
  const workspace = agents.agents.find((agent) => agent.id === agents.defaultAgentId)?.workspace ??
    joinPath(deps.stateDir, "workspace");
  const internal = (config.hooks as { internal?: { load?: { extraDirs?: unknown } } } | undefined)?.internal;
  const extraDirs = Array.isArray(internal?.load?.extraDirs)
    ? internal.load.extraDirs.filter((dir): dir is string => typeof dir === "string")
    : [];
  const plan = selectInternalHooks(config, {
    discovery: {
      workspaceDir: workspace,
      managedHooksDir: joinPath(deps.stateDir, "hooks"),
      extraDirs,
      home: deps.home,
      cwd: deps.cwd,
      warn: (message) => loaderLog.warn(message),
    },
    host: await deps.host(),
  });
  const registrations: InternalHookRegistration[] = [];
  let loaded = 0;
  for (const hook of plan.hooks) {
    try {
      let handler: InternalHookHandler;
      if (hook.handler.kind === "bundled") handler = await bundledHandler(hook.handler.name, deps);
      else {
        if (hook.source === "openclaw-workspace" || hook.source === "openclaw-managed") {
          loaderLog.warn(
            `Loading ${hook.source.slice(9)} hook code into the gateway process. Hooks are trusted local code.`,
          );
        }
        handler = await importHandler(hook, hook.handler.path);
      }
      const unknown = hook.events.filter((event) => !KNOWN_INTERNAL_HOOK_EVENTS.includes(event));
      if (unknown.length > 0) {
        loaderLog.warn(
          `Hook '${hook.name}' subscribes to event${unknown.length === 1 ? "" : "s"} ${
            unknown.join(", ")
          } not emitted by OpenClaw core — likely a typo; unless a plugin emits it, the hook never fires. Known events: https://docs.openclaw.ai/automation/hooks`,
        );
      }
      registrations.push(...hook.events.map((event) => ({ event, handler })));
      loaded++;
    } catch (error) {
      loaderLog.error(`Failed to load hook ${hook.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  deps.hooks.replace(registrations);
  return { configured: true, loaded };
}

/** The reference's line after a load that found handlers. */
export function loadedLine(count: number): string {
  return `loaded ${count} internal hook handler${count > 1 ? "s" : ""}`;
}
