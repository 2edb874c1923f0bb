import { messageOf } from "../log/error_text.ts";
import { ConfigError } from "./errors.ts";
import type { EnvSnapshot } from "./paths.ts";
import type { AuthMode, GatewayFlags, ResolvedAuth, ValueSource } from "./resolve.ts";
import type { RawConfig, SecretInput } from "./schema.ts";

const AUTH_MODES: readonly AuthMode[] = ["none", "token", "password", "trusted-proxy"];

function isAuthMode(text: string): text is AuthMode {
  return AUTH_MODES.some((mode) => mode === text);
}

/** Auth precedence: flags → `gateway.auth.*` → OPENCLAW_GATEWAY_TOKEN / _PASSWORD; mode inferred when unset. */
export function resolveAuth(input: {
  flags: GatewayFlags;
  config: RawConfig;
  env: EnvSnapshot;
  readSecretFile: ((path: string) => string) | undefined;
}): ResolvedAuth {
  const { flags, env } = input;
  const auth = input.config.gateway?.auth ?? {};
  const flagMode = flags.auth;
  if (flagMode !== undefined && !isAuthMode(flagMode)) {
    throw new ConfigError('Invalid --auth. Use "none", "token", "password", or "trusted-proxy".', {
      exitKind: "usage",
    });
  }
  const read = (value: SecretInput | undefined, key: string) =>
    resolveSecretInput(value, { key, env, readSecretFile: input.readSecretFile });
  const token = pickSecret([
    [flags.token, "flag"],
    [read(auth.token, "gateway.auth.token"), "config"],
    [env.OPENCLAW_GATEWAY_TOKEN, "env"],
  ]);
  const password = pickSecret([
    [flags.password, "flag"],
    [read(auth.password, "gateway.auth.password"), "config"],
    [env.OPENCLAW_GATEWAY_PASSWORD, "env"],
  ]);
  const explicit = flagMode ?? auth.mode;
  if (explicit === undefined && auth.token !== undefined && auth.password !== undefined) {
    throw new ConfigError(
      "Invalid config: gateway.auth.token and gateway.auth.password are both configured, but gateway.auth.mode is unset. Set gateway.auth.mode to token or password.",
    );
  }
  const mode: AuthMode = explicit ?? (password.value !== undefined ? "password" : "token");
  const limit = auth.rateLimit ?? {};
  return {
    mode,
    modeExplicit: explicit !== undefined,
    token: token.value,
    tokenSource: token.source,
    password: password.value,
    passwordSource: password.source,
    rateLimit: {
      maxAttempts: limit.maxAttempts ?? 10,
      windowMs: limit.windowMs ?? 60_000,
      lockoutMs: limit.lockoutMs ?? 300_000,
      exemptLoopback: limit.exemptLoopback ?? true,
    },
  };
}

function pickSecret(
  candidates: [string | undefined, ValueSource][],
): { value: string | undefined; source: ValueSource | undefined } {
  for (const [value, source] of candidates) {
    if (value !== undefined) return { value, source };
  }
  return { value: undefined, source: undefined };
}

/** Resolves a credential written inline or as `{source: "env" | "file", id}`. */
export function resolveSecretInput(
  value: SecretInput | undefined,
  options: { key: string; env: EnvSnapshot; readSecretFile?: ((path: string) => string) | undefined },
): string | undefined {
  if (value === undefined || typeof value === "string") return value;
  switch (value.source) {
    case "env": {
      const found = options.env[value.id];
      if (found === undefined) {
        throw new ConfigError(
          `${options.key} refers to environment variable ${value.id}, which is not set. Set it or change the reference`,
        );
      }
      return found;
    }
    case "file": {
      if (!options.readSecretFile) {
        throw new ConfigError(`${options.key} refers to a secret file, which cannot be read here`);
      }
      try {
        return options.readSecretFile(value.id).trim();
      } catch (error) {
        throw new ConfigError(
          `${options.key} refers to secret file ${value.id}, which cannot be read: ${messageOf(error)}`,
          { cause: error },
        );
      }
    }
    default:
      throw new ConfigError(
        `${options.key} uses a "${value.source}" secret reference, which this gateway does not support. Use {source: "env"} or {source: "file"}`,
      );
  }
}
