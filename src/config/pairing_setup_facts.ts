// The config facts a setup code is decided from (`device.pair.setupCode`), read as the reference reads
// its runtime config: the bind, TLS, remote and Tailscale settings and the auth mode as written (an
// unset mode words the refusal differently from `token`), the device-pair plugin's `publicUrl`, and the
// port and credentials in force (the port this gateway listens on, the secrets it resolved).
import type { ConfigSnapshot } from "./load.ts";
import type { ResolvedConfig } from "./resolve.ts";

/** What `device.pair.setupCode` decides a setup code's URL and auth label from. */
export interface PairingSetupFacts {
  authMode?: string | undefined;
  token?: string | undefined;
  password?: string | undefined;
  bind?: string | undefined;
  customBindHost?: string | undefined;
  tlsEnabled: boolean;
  port: number;
  remoteUrl?: string | undefined;
  tailscaleMode?: string | undefined;
  /** `plugins.entries.device-pair.config.publicUrl`. */
  configuredPublicUrl?: string | undefined;
  /** `gateway.mode` is `remote`: `gateway.remote.url` then names the gateway this config points at, not this one. */
  remoteMode: boolean;
}

/** `plugins.entries.device-pair.config.publicUrl` of the config as written, trimmed, when set. */
export function devicePairPublicUrl(authored: Record<string, unknown>): string | undefined {
  const plugins = authored.plugins as { entries?: Record<string, { config?: Record<string, unknown> }> } | undefined;
  const value = plugins?.entries?.["device-pair"]?.config?.publicUrl;
  return typeof value === "string" && value.trim() ? value.trim() : undefined;
}

/** The setup-code facts of the config in force. */
export function pairingSetupFacts(config: ResolvedConfig, snapshot: ConfigSnapshot): PairingSetupFacts {
  const gateway = snapshot.config.gateway ?? {};
  return {
    authMode: gateway.auth?.mode,
    token: config.auth.token,
    password: config.auth.password,
    bind: gateway.bind,
    customBindHost: gateway.customBindHost,
    tlsEnabled: gateway.tls?.enabled === true,
    port: config.port,
    remoteUrl: gateway.remote?.url,
    tailscaleMode: gateway.tailscale?.mode,
    configuredPublicUrl: devicePairPublicUrl(snapshot.authored),
    remoteMode: gateway.mode === "remote",
  };
}
