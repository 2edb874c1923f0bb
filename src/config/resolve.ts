import { ConfigError } from "./errors.ts";
import type { EnvSnapshot, GatewayPaths } from "./paths.ts";
import { resolveAuth } from "./resolve_auth.ts";
import type { LogLevelName, RawConfig } from "./schema.ts";

/** Bind modes, as `gateway.bind` and `--bind` spell them. */
export type BindMode = "auto" | "lan" | "loopback" | "custom" | "tailnet";
/** Auth modes, as `gateway.auth.mode` and `--auth` spell them. */
export type AuthMode = "none" | "token" | "password" | "trusted-proxy";
/** Reload modes of `gateway.reload.mode`. */
export type ReloadMode = "off" | "hot" | "restart" | "hybrid";
/** Where a resolved value came from, for `status` and `doctor` to explain. */
export type ValueSource = "flag" | "env" | "dev" | "config" | "profile" | "stored" | "default";

/** `gateway run` flags that take part in precedence, exactly as typed (strings are validated here). */
export interface GatewayFlags {
  port?: string | undefined;
  bind?: string | undefined;
  auth?: string | undefined;
  token?: string | undefined;
  password?: string | undefined;
}

/** Facts about the host that bind resolution depends on; gathered once by the caller. */
export interface HostFacts {
  inContainer: boolean;
  /** The host's address in 100.64.0.0/10, when it has one. */
  tailnetAddress: string | undefined;
}

/** One socket the gateway listens on; optional ones (like `::1`) may fail to bind silently. */
export interface ListenAddress {
  host: string;
  required: boolean;
}

/** The gateway's auth settings after precedence: secrets present or not, never re-read. */
export interface ResolvedAuth {
  mode: AuthMode;
  /** True when `gateway.auth.mode` or `--auth` named the mode. */
  modeExplicit: boolean;
  token: string | undefined;
  tokenSource: ValueSource | undefined;
  password: string | undefined;
  passwordSource: ValueSource | undefined;
  rateLimit: { maxAttempts: number; windowMs: number; lockoutMs: number; exemptLoopback: boolean };
}

/** Logging settings after precedence. */
export interface ResolvedLogging {
  level: LogLevelName;
  consoleLevel: LogLevelName;
  /** `logging.file`, when set; otherwise the daily file under `<stateDir>/logs`. */
  file: string | undefined;
  maxFileBytes: number;
}

/** Everything the gateway needs to start, every field decided. */
export interface ResolvedGatewayConfig {
  paths: GatewayPaths;
  port: number;
  portSource: ValueSource;
  bind: BindMode;
  bindSource: ValueSource;
  /** The primary listen host (the one in `ws://host:port`). */
  host: string;
  /** Every address to listen on, the primary first. */
  listen: ListenAddress[];
  auth: ResolvedAuth;
  reload: { mode: ReloadMode; debounceMs: number };
  logging: ResolvedLogging;
  controlUi: { enabled: boolean; basePath: string; allowedOrigins: string[] };
  /** Protocol timings; OPENCLAW_TICK_INTERVAL_MS and OPENCLAW_HANDSHAKE_TIMEOUT_MS tune them. */
  protocol: { tickIntervalMs: number; handshakeTimeoutMs: number };
  /** Connection limits (`gateway.limits.*`; docs/security.md lists each with its default). */
  limits: ResolvedLimits;
}

/** `gateway.limits` after defaults: what one client may hold of the process. */
export interface ResolvedLimits {
  maxConnections: number;
  maxPreAuthConnections: number;
  maxPreAuthConnectionsPerIp: number;
  headersTimeoutMs: number;
  keepAliveTimeoutMs: number;
  closeTimeoutMs: number;
  /** A response write the client takes no byte of for this long closes the connection. */
  sendTimeoutMs: number;
  webSocketIdleMs: number;
}

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
}

/** The default gateway port. */
export const DEFAULT_PORT = 18789;
/** The `--dev` base port. */
export const DEV_PORT = 19001;
/** Default config-reload debounce. */
export const DEFAULT_RELOAD_DEBOUNCE_MS = 300;

const BIND_MODES: readonly BindMode[] = ["loopback", "lan", "tailnet", "auto", "custom"];

/** Applies every precedence rule in one place: flags → env → file → profile → defaults. */
export function resolveGatewayConfig(inputs: ResolveInputs): ResolvedGatewayConfig {
  const { paths, config, env } = inputs;
  const flags = inputs.flags ?? {};
  const gateway = config.gateway ?? {};
  const { port, source: portSource } = resolvePort({
    flag: flags.port,
    env: env.OPENCLAW_GATEWAY_PORT,
    configPort: gateway.port,
    profile: paths.profile,
    dev: paths.dev,
  });
  const bind = resolveBindMode(flags.bind, gateway.bind);
  const listen = resolveListen({
    mode: bind.mode,
    customBindHost: gateway.customBindHost,
    host: inputs.host ?? { inContainer: false, tailnetAddress: undefined },
  });
  const logging = config.logging ?? {};
  const envLevel = parseLogLevel(env.OPENCLAW_LOG_LEVEL);
  const controlUi = gateway.controlUi ?? {};
  return {
    paths,
    port,
    portSource,
    bind: bind.mode,
    bindSource: bind.source,
    host: listen[0]!.host,
    listen,
    auth: resolveAuth({ flags, config, env, readSecretFile: inputs.readSecretFile }),
    reload: resolveReload(config),
    logging: {
      level: envLevel ?? logging.level ?? "info",
      consoleLevel: envLevel ?? logging.consoleLevel ?? "info",
      file: logging.file,
      maxFileBytes: logging.maxFileBytes ?? 104_857_600,
    },
    protocol: {
      tickIntervalMs: positiveInt(env.OPENCLAW_TICK_INTERVAL_MS) ?? 30_000,
      handshakeTimeoutMs: positiveInt(env.OPENCLAW_HANDSHAKE_TIMEOUT_MS) ?? 15_000,
    },
    limits: resolveLimits(gateway.limits ?? {}, env),
    controlUi: {
      enabled: controlUi.enabled ?? true,
      basePath: normalizeBasePath(controlUi.basePath ?? ""),
      allowedOrigins: controlUi.allowedOrigins ?? [],
    },
  };
}

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
  inputs: Pick<ResolveInputs, "config" | "env" | "flags" | "readSecretFile">,
): Pick<ResolvedGatewayConfig, "reload" | "auth"> {
  return {
    reload: resolveReload(inputs.config),
    auth: resolveAuth({
      flags: inputs.flags ?? {},
      config: inputs.config,
      env: inputs.env,
      readSecretFile: inputs.readSecretFile,
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

/** Port precedence: `--port` → OPENCLAW_GATEWAY_PORT → `--dev` → `gateway.port` → profile → 18789. */
export function resolvePort(input: {
  flag?: string | undefined;
  env?: string | undefined;
  configPort?: number | undefined;
  profile?: string | undefined;
  dev?: boolean | undefined;
}): { port: number; source: ValueSource } {
  if (input.flag !== undefined) {
    const port = parsePort(input.flag);
    if (port === undefined) {
      throw new ConfigError("Invalid --port. Use a port number from 1 to 65535, for example 18789.", {
        exitKind: "usage",
      });
    }
    return { port, source: "flag" };
  }
  if (input.env !== undefined && input.env.trim() !== "") {
    const port = parseEnvPort(input.env);
    if (port === undefined) {
      throw new ConfigError(
        `Invalid OPENCLAW_GATEWAY_PORT "${input.env}". Use a port (18789), host:port or [::1]:port`,
      );
    }
    return { port, source: "env" };
  }
  if (input.dev) return { port: DEV_PORT, source: "dev" };
  if (input.configPort !== undefined && input.configPort > 0) {
    return { port: input.configPort, source: "config" };
  }
  if (input.profile) return { port: profilePort(input.profile), source: "profile" };
  return { port: DEFAULT_PORT, source: "default" };
}

/** A named profile's own default port: 20000 + FNV-1a-32(name) mod 40000, as OpenClaw derives it. */
export function profilePort(profile: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(profile)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return 20000 + (hash % 40000);
}

function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text.trim())) return undefined;
  const port = Number(text.trim());
  return port >= 1 && port <= 65535 ? port : undefined;
}

function parseEnvPort(text: string): number | undefined {
  const match = /^(?:\[[^\]]+\]:|[^:[\]]+:)?(\d{1,5})$/.exec(text.trim());
  return match ? parsePort(match[1]!) : undefined;
}

/** Bind precedence: `--bind` → `gateway.bind` → loopback (containers included). */
export function resolveBindMode(
  flag: string | undefined,
  configured: BindMode | undefined,
): { mode: BindMode; source: ValueSource } {
  if (flag !== undefined) {
    if (!BIND_MODES.includes(flag as BindMode)) {
      throw new ConfigError('Invalid --bind. Use "loopback", "lan", "tailnet", "auto", or "custom".', {
        exitKind: "usage",
      });
    }
    return { mode: flag as BindMode, source: "flag" };
  }
  if (configured !== undefined) return { mode: configured, source: "config" };
  return { mode: "loopback", source: "default" };
}

/**
 * Maps a bind mode to listen addresses. `auto` means loopback except inside a container, where
 * loopback is unreachable from the host; a specific non-loopback address also gets a
 * required 127.0.0.1 listener so same-host clients keep working.
 */
export function resolveListen(input: {
  mode: BindMode;
  customBindHost: string | undefined;
  host: HostFacts;
}): ListenAddress[] {
  const loopback: ListenAddress[] = [{ host: "127.0.0.1", required: true }, { host: "::1", required: false }];
  switch (input.mode) {
    case "loopback":
      return loopback;
    case "lan":
      return [{ host: "0.0.0.0", required: true }];
    case "auto":
      return input.host.inContainer ? [{ host: "0.0.0.0", required: true }] : loopback;
    case "tailnet":
      return input.host.tailnetAddress
        ? [{ host: input.host.tailnetAddress, required: true }, { host: "127.0.0.1", required: true }]
        : loopback;
    case "custom": {
      const host = input.customBindHost;
      if (!host) {
        throw new ConfigError(
          'gateway.bind is "custom" but gateway.customBindHost is not set. Set gateway.customBindHost to an IPv4 address',
        );
      }
      if (host === "0.0.0.0" || isLoopbackHost(host)) return [{ host, required: true }];
      return [{ host, required: true }, { host: "127.0.0.1", required: true }];
    }
  }
}

/** True for 127.0.0.0/8, `::1` and `localhost`. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host) ||
    host.startsWith("::ffff:127.");
}

function parseLogLevel(text: string | undefined): LogLevelName | undefined {
  const levels: readonly LogLevelName[] = ["silent", "fatal", "error", "warn", "info", "debug", "trace"];
  return levels.includes(text as LogLevelName) ? text as LogLevelName : undefined;
}

function positiveInt(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  const n = Number(text);
  return n > 0 ? n : undefined;
}

function normalizeBasePath(path: string): string {
  const trimmed = path.trim().replace(/\/+$/, "");
  if (trimmed === "") return "";
  return trimmed.startsWith("/") ? trimmed : `/${trimmed}`;
}
