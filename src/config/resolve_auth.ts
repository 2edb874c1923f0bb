import { messageOf } from "../log/error_text.ts";
import { ConfigError } from "./errors.ts";
import type { EnvSnapshot } from "./paths.ts";
import type { AuthMode, GatewayFlags, ResolvedAuth, ValueSource } from "./resolve.ts";
import type { RawConfig, SecretInput } from "./schema.ts";
import { isRedactionPlaceholder } from "./redaction_marker.ts";

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
  /** Reads a team secret store entry named by a `{source: "store"}` reference. */
  readStoreValue?: ((name: string) => string | undefined) | undefined;
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
    resolveSecretInput(value, { key, env, readSecretFile: input.readSecretFile, readStoreValue: input.readStoreValue });
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

/** Resolves a credential written inline or as `{source: "env" | "file" | "store", id}`. */
export function resolveSecretInput(
  value: SecretInput | undefined,
  options: {
    key: string;
    env: EnvSnapshot;
    readSecretFile?: ((path: string) => string) | undefined;
    readStoreValue?: ((name: string) => string | undefined) | undefined;
  },
): string | undefined {
  if (value === undefined || typeof value === "string") return value;
  if (value.source === "exec" || (value.source === "file" && (value.provider ?? "default") !== "default")) {
    // Provider-backed refs resolve asynchronously (config/runtime_secret_refs.ts) before this runs; one still
    // here was not resolved for this config (a preview, or a command that does not run providers).
    const label = `${value.source}:${value.provider ?? "default"}:${value.id}`;
    throw new ConfigError(
      `${options.key} refers to ${label}, which resolves through secrets.providers when the gateway starts or reloads, not here. Start the gateway, or run openclaw secrets reload after changing it`,
    );
  }
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
    case "store":
      return resolveStoreRef(value, options);
    default:
      throw new ConfigError(
        `${options.key} uses a "${value.source}" secret reference, which this gateway does not support. Use {source: "env"}, {source: "file"} or {source: "store"}`,
      );
  }
}

/**
 * A `{source: "store"}` reference: the team store entry named by `id`, through the built-in `default`
 * provider (the only store provider there is). Missing, unreadable and placeholder values are refused in
 * the reference's words, with the command that fixes them.
 */
function resolveStoreRef(
  ref: { provider?: string | undefined; id: string },
  options: { key: string; readStoreValue?: ((name: string) => string | undefined) | undefined },
): string {
  const provider = ref.provider ?? "default";
  if (provider !== "default") {
    throw new ConfigError(
      `Secret provider "${provider}" is not configured (ref: store:${provider}:${ref.id}). ${options.key} must use provider "default" for the team store`,
    );
  }
  if (!options.readStoreValue) {
    throw new ConfigError(`${options.key} refers to secret store entry ${ref.id}, which cannot be read here`);
  }
  let found: string | undefined;
  try {
    found = options.readStoreValue(ref.id);
  } catch (error) {
    throw new ConfigError(
      `${options.key} refers to secret store entry ${ref.id}, but the secret store database is unavailable: ${
        messageOf(error)
      }`,
      { cause: error },
    );
  }
  if (found === undefined) {
    throw new ConfigError(
      `Secret store entry "${ref.id}" was not found. ${options.key} refers to it; add it with openclaw secrets store set ${ref.id}, or change the reference`,
    );
  }
  if (isRedactionPlaceholder(found)) {
    throw new ConfigError(
      `Secret reference "store:default:${ref.id}" resolves to a redaction placeholder. Run openclaw doctor --fix to repair a store-backed Gateway token; supply a real credential for other secrets.`,
    );
  }
  return found;
}
