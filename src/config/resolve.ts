import { normalizeBasePath } from "./base_path.ts";
import { resolveCommands } from "./resolve_commands.ts";
import { resolveSessionTools } from "./resolve_session_tools.ts";
import type { EnvSnapshot, GatewayPaths } from "./paths.ts";
import { resolveAgents, resolveModels } from "./resolve_agents.ts";
import { resolveAuth } from "./resolve_auth.ts";
import { resolveMcp } from "./resolve_mcp.ts";
import { resolveGatewayListen } from "./resolve_listen.ts";
import {
  resolveAutoApproveLocal,
  resolveHooks,
  resolveHttpEndpoints,
  resolveNodeCommands,
  resolveProxies,
  resolveRouting,
  resolveToolsPolicy,
} from "./resolve_sections.ts";
import { resolveToolSearch } from "./resolve_tool_search.ts";
import { resolveToolPolicy } from "./resolve_tool_policy.ts";
import type {
  GatewayFlags,
  HostFacts,
  ReloadMode,
  ResolvedConfig,
  ResolvedGatewayConfig,
  ResolvedLimits,
} from "./resolved.ts";
import type { LogLevelName, RawConfig } from "./schema.ts";

// The resolved shape and the listen rules live in their own files; re-exported so callers have one
// entry point for "the config after precedence".
export type * from "./resolved.ts";
export {
  DEFAULT_PORT,
  DEV_PORT,
  isLoopbackHost,
  profilePort,
  resolveBindMode,
  resolveListen,
  resolvePort,
} from "./resolve_listen.ts";

/** `gateway.limits.maxConnections` by default; the listener lowers it by itself if file descriptors run out first. */
export const DEFAULT_MAX_CONNECTIONS = 8192;

/** Inputs to {@link resolveGatewayConfig}: flags, env, the file and host facts. */
export interface ResolveInputs {
  paths: GatewayPaths;
  config: RawConfig;
  env: EnvSnapshot;
  flags?: GatewayFlags | undefined;
  host?: HostFacts | undefined;
  /** Reads a secret file named by a `{source: "file"}` reference. */
  readSecretFile?: ((path: string) => string) | undefined;
  /** Reads a team secret store entry named by a `{source: "store"}` reference. */
  readStoreValue?: ((name: string) => string | undefined) | undefined;
}

/** Default config-reload debounce. */
export const DEFAULT_RELOAD_DEBOUNCE_MS = 300;

/**
 * Applies every precedence rule and default in one place (flags → env → file → profile →
 * defaults), for every section: the one {@link ResolvedConfig} of a config snapshot.
 */
export function resolveConfig(inputs: ResolveInputs): ResolvedConfig {
  const { paths, config, env } = inputs;
  const flags = inputs.flags ?? {};
  const gateway = config.gateway ?? {};
  const { port, portSource, bind, bindSource, listen } = resolveGatewayListen({ ...inputs, gateway });
  const logging = config.logging ?? {};
  const envLevel = parseLogLevel(env.OPENCLAW_LOG_LEVEL);
  const controlUi = gateway.controlUi ?? {};
  return {
    paths,
    port,
    portSource,
    bind,
    bindSource,
    host: listen[0]!.host,
    listen,
    auth: resolveAuth({
      flags,
      config,
      env,
      readSecretFile: inputs.readSecretFile,
      readStoreValue: inputs.readStoreValue,
    }),
    reload: resolveReload(config),
    logging: {
      level: envLevel ?? logging.level ?? "info",
      consoleLevel: envLevel ?? logging.consoleLevel ?? "info",
      file: logging.file,
      maxFileBytes: logging.maxFileBytes ?? 104_857_600,
    },
    protocol: {
      tickIntervalMs: timerMs(env.OPENCLAW_TICK_INTERVAL_MS) ?? 30_000,
      handshakeTimeoutMs: timerMs(env.OPENCLAW_HANDSHAKE_TIMEOUT_MS) ?? 15_000,
    },
    limits: resolveLimits(gateway.limits ?? {}, env),
    controlUi: {
      enabled: controlUi.enabled ?? true,
      basePath: normalizeBasePath(controlUi.basePath ?? ""),
      allowedOrigins: controlUi.allowedOrigins ?? [],
    },
    mode: gateway.mode,
    proxies: resolveProxies(config),
    http: resolveHttpEndpoints(config),
    tools: resolveToolsPolicy(config),
    toolPolicy: resolveToolPolicy(config),
    toolSearch: resolveToolSearch(config),
    nodeCommands: resolveNodeCommands(config),
    autoApproveLocalPairing: resolveAutoApproveLocal(config),
    hooks: resolveHooks(config),
    ...resolveRouting(config),
    agents: resolveAgents(config, paths.stateDir, paths.home),
    models: resolveModels(config),
    commands: resolveCommands(config),
    sessionTools: resolveSessionTools(config),
    mcp: resolveMcp(config),
  };
}

/** {@link resolveConfig} under the name its first callers know (the gateway section came first). */
export const resolveGatewayConfig: (inputs: ResolveInputs) => ResolvedGatewayConfig = resolveConfig;

/** `gateway.reload` after defaults: hybrid, 300 ms. */
function resolveReload(config: RawConfig): { mode: ReloadMode; debounceMs: number } {
  const reload = config.gateway?.reload ?? {};
  return { mode: reload.mode ?? "hybrid", debounceMs: reload.debounceMs ?? DEFAULT_RELOAD_DEBOUNCE_MS };
}

/**
 * The part of {@link resolveGatewayConfig} a reload decision reads, resolved by the same
 * functions (for config.set's preview when no run's resolver is at hand: no flags).
 */
export function resolveReloadView(
  inputs: Pick<ResolveInputs, "config" | "env" | "flags" | "readSecretFile" | "readStoreValue">,
): Pick<ResolvedGatewayConfig, "reload" | "auth"> {
  return {
    reload: resolveReload(inputs.config),
    auth: resolveAuth({
      flags: inputs.flags ?? {},
      config: inputs.config,
      env: inputs.env,
      readSecretFile: inputs.readSecretFile,
      readStoreValue: inputs.readStoreValue,
    }),
  };
}

/** Connection limits (`gateway.limits`), each with the default docs/security.md gives. */
function resolveLimits(
  limits: NonNullable<NonNullable<RawConfig["gateway"]>["limits"]>,
  env: EnvSnapshot,
): ResolvedLimits {
  return {
    maxConnections: limits.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    maxPreAuthConnections: limits.maxPreAuthConnections ?? 256,
    maxPreAuthConnectionsPerIp: limits.maxPreAuthConnectionsPerIp ??
      positiveInt(env.OPENCLAW_MAX_PREAUTH_CONNECTIONS_PER_IP) ?? 32,
    headersTimeoutMs: limits.headersTimeoutMs ?? 5_000,
    keepAliveTimeoutMs: limits.keepAliveTimeoutMs ?? 5_000,
    closeTimeoutMs: limits.closeTimeoutMs ?? 3_000,
    sendTimeoutMs: limits.sendTimeoutMs ?? 30_000,
    webSocketIdleMs: limits.webSocketIdleMs ?? 60_000,
  };
}

function parseLogLevel(text: string | undefined): LogLevelName | undefined {
  const levels: readonly LogLevelName[] = ["silent", "fatal", "error", "warn", "info", "debug", "trace"];
  return levels.find((level) => level === text);
}

/** The longest delay a timer keeps: a longer one overflows and fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A timer's delay from the environment, capped where timers overflow (a huge tick would otherwise fire in a loop). */
function timerMs(text: string | undefined): number | undefined {
  const n = positiveInt(text);
  return n === undefined ? undefined : Math.min(n, MAX_TIMER_MS);
}

function positiveInt(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  const n = Number(text);
  return n > 0 ? n : undefined;
}
