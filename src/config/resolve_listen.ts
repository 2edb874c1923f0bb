import { ConfigError } from "./errors.ts";
import type { BindMode, GatewayFlags, HostFacts, ListenAddress, ValueSource } from "./resolved.ts";

/** The default gateway port. */
export const DEFAULT_PORT = 18789;
/** The `--dev` base port. */
export const DEV_PORT = 19001;

const BIND_MODES: readonly BindMode[] = ["loopback", "lan", "tailnet", "auto", "custom"];

function isBindMode(text: string): text is BindMode {
  return BIND_MODES.some((mode) => mode === text);
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
    if (!isBindMode(flag)) {
      throw new ConfigError('Invalid --bind. Use "loopback", "lan", "tailnet", "auto", or "custom".', {
        exitKind: "usage",
      });
    }
    return { mode: flag, source: "flag" };
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

/**
 * A config's port, bind mode and listen addresses with their precedence applied: the one place both
 * src/config/resolve.ts `resolveConfig` and the CLI's plain target read (target_config.ts) take them from.
 */
export function resolveGatewayListen(inputs: {
  paths: { profile: string | undefined; dev: boolean };
  env: { OPENCLAW_GATEWAY_PORT?: string | undefined };
  flags?: GatewayFlags | undefined;
  gateway: { port?: number | undefined; bind?: BindMode | undefined; customBindHost?: string | undefined };
  host?: HostFacts | undefined;
}): { port: number; portSource: ValueSource; bind: BindMode; bindSource: ValueSource; listen: ListenAddress[] } {
  const { paths, env, gateway } = inputs;
  const flags = inputs.flags ?? {};
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
  return { port, portSource, bind: bind.mode, bindSource: bind.source, listen };
}
