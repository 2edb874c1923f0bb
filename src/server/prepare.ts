import { detectHostFacts } from "../config/host_facts.ts";
import { ConfigError } from "../config/errors.ts";
import { type ConfigSnapshot, loadConfig } from "../config/load.ts";
import { type EnvSnapshot, type GatewayPaths, pathExists, resolvePaths } from "../config/paths.ts";
import { type GatewayFlags, type ResolvedGatewayConfig, resolveGatewayConfig } from "../config/resolve.ts";
import type { storeValueReader } from "../state/secret_store_reader.ts";
import { hasStoreRef } from "../config/store_refs.ts";
import {
  materializeProviderRefs,
  NO_PROVIDER_REFS,
  providerRefPlaces,
  type RuntimeSecretRefs,
} from "../config/provider_refs.ts";
import { loadOrCreateStoredToken, readStoredToken } from "../state/stored_token.ts";
import type { EffectiveSecrets } from "./gateway_options.ts";
import { checkStartGuards, hookRoutingCheck } from "./guards.ts";

/** What the operator asked for on the command line, before any file is read. */
export interface StartRequest {
  profile?: string | undefined;
  dev?: boolean | undefined;
  logLevel?: string | undefined;
  allowUnconfigured?: boolean | undefined;
  flags: GatewayFlags;
  /**
   * The team store reader, loaded the first time a config names the store (or after listening):
   * it opens the state database through node:sqlite, which the start path keeps out otherwise.
   */
  storeReader?: typeof storeValueReader | undefined;
}

/** Loads the team store reader into `request` when `snapshot` needs it (or `always`); later calls reuse it. */
export async function loadStoreReader(
  request: Pick<StartRequest, "storeReader">,
  snapshot?: ConfigSnapshot,
): Promise<void> {
  if (request.storeReader || (snapshot && !hasStoreRef(snapshot.config))) return;
  request.storeReader = (await import("../state/secret_store_reader.ts")).storeValueReader;
}

/** Everything decided before the port is bound: the config, the secrets in force, and the paths. */
export interface PreparedStart {
  paths: GatewayPaths;
  snapshot: ConfigSnapshot;
  config: ResolvedGatewayConfig;
  secrets: EffectiveSecrets;
  /** Set when this start generated the stored token (the first run). */
  generatedTokenPath: string | undefined;
  /** The SecretRefs resolved through `secrets.providers` for this config, and the degraded ones' lines. */
  secretRefs: RuntimeSecretRefs;
}

/**
 * The config's provider-backed SecretRefs (file, exec, configured env/store providers) at the places `only` accepts
 * (all when absent), as a start or reload resolves them; the resolver and its exec runner load only when the config
 * has such a ref (the start path stays as it was). `agent --local` resolves its places through here too.
 */
export async function resolveConfigSecretRefs(
  config: ConfigSnapshot["config"],
  deps: {
    env: EnvSnapshot;
    stateDir: string;
    storeReader?: typeof storeValueReader | undefined;
    only?: ((path: string) => boolean) | undefined;
  },
): Promise<RuntimeSecretRefs> {
  if (!providerRefPlaces(config).some((place) => deps.only?.(place.path) ?? true)) return NO_PROVIDER_REFS;
  const { resolveRuntimeSecretRefs } = await import("../config/runtime_secret_refs.ts");
  return await resolveRuntimeSecretRefs(config, {
    env: deps.env,
    readStore: deps.storeReader?.(deps.stateDir),
    only: deps.only,
  });
}

// The SecretRefs of a start or reload of this run: every place, with the run's store reader (the paths are worked out
// only when there is a ref to resolve, as before).
function resolveProviderSecretRefs(
  request: StartRequest,
  env: EnvSnapshot,
  snapshot: ConfigSnapshot,
): Promise<RuntimeSecretRefs> {
  if (providerRefPlaces(snapshot.config).length === 0) return Promise.resolve(NO_PROVIDER_REFS);
  const paths = resolvePaths({ env, profile: request.profile, dev: request.dev, exists: pathExists });
  return resolveConfigSecretRefs(snapshot.config, { env, stateDir: paths.stateDir, storeReader: request.storeReader });
}

/**
 * Resolves a config snapshot exactly as a start or reload of this run does (same flags, env and
 * host facts), so config.set's reload preview and the runner decide from the same values.
 */
export function resolveSnapshot(
  request: StartRequest,
  env: EnvSnapshot,
  snapshot: ConfigSnapshot,
  secretRefs: RuntimeSecretRefs = NO_PROVIDER_REFS,
): ResolvedGatewayConfig {
  const paths = resolvePaths({ env, profile: request.profile, dev: request.dev, exists: pathExists });
  return resolveGatewayConfig({
    paths,
    config: materializeProviderRefs(snapshot.config, secretRefs),
    env: request.logLevel ? { ...env, OPENCLAW_LOG_LEVEL: request.logLevel } : env,
    flags: request.flags,
    host: detectHostFacts(),
    readSecretFile: (path) => Deno.readTextFileSync(path),
    readStoreValue: request.storeReader?.(paths.stateDir),
  });
}

/**
 * The refusal a start with this config would meet, or undefined: what `gateway install` checks
 * before writing a unit that the service manager would only start into the same refusal.
 */
export async function startRefusal(
  request: StartRequest,
  env: EnvSnapshot,
  snapshot: ConfigSnapshot,
): Promise<{ config: ResolvedGatewayConfig; refusal: Error | undefined }> {
  await loadStoreReader(request, snapshot);
  const secretRefs = await resolveProviderSecretRefs(request, env, snapshot);
  const config = resolveSnapshot(request, env, snapshot, secretRefs);
  const stored = config.auth.token === undefined ? await readStoredToken(config.paths.stateDir) : undefined;
  const refusal = checkStartGuards({
    fileExists: snapshot.exists,
    resolved: config,
    allowUnconfigured: request.allowUnconfigured ?? false,
    storedToken: stored !== undefined,
    hookRoutingError: await hookRoutingCheck(config),
  });
  return { config, refusal };
}

/** Checks a first start runs on its way (each may throw its own refusal). */
export interface StartChecks {
  /** Once the config is resolved, before the guards and before anything is written. */
  beforeGuards?(paths: GatewayPaths): Promise<void>;
  /** When the config file does not load; the config's own refusal is thrown after it. */
  invalidConfig?(paths: GatewayPaths): Promise<void>;
}

/**
 * Reads and resolves the config, runs the start-up guards, and settles the secret: the
 * configured one, else the stored token, else (loopback only; the guards refuse an exposed bind
 * without a secret) a newly generated one. Throws the first refusal. A reload passes the
 * snapshot it already read; a first start passes `checks` (the ownership fence, which the reference
 * checks ahead of the other refusals).
 */
export async function prepareStart(
  request: StartRequest,
  env: EnvSnapshot,
  preloaded?: ConfigSnapshot,
  checks: StartChecks = {},
): Promise<PreparedStart> {
  const paths = resolvePaths({ env, profile: request.profile, dev: request.dev, exists: pathExists });
  let snapshot: ConfigSnapshot;
  try {
    snapshot = preloaded ?? await loadConfig(paths.configPath, env);
  } catch (error) {
    if (error instanceof ConfigError) await checks.invalidConfig?.(paths);
    throw error;
  }
  await loadStoreReader(request, snapshot);
  const secretRefs = await resolveProviderSecretRefs(request, env, snapshot);
  const config = resolveSnapshot(request, env, snapshot, secretRefs);
  await checks.beforeGuards?.(paths);
  const stored = config.auth.token === undefined ? await readStoredToken(paths.stateDir) : undefined;
  const refusal = checkStartGuards({
    fileExists: snapshot.exists,
    resolved: config,
    allowUnconfigured: request.allowUnconfigured ?? false,
    storedToken: stored !== undefined,
    hookRoutingError: await hookRoutingCheck(config),
  });
  if (refusal) throw refusal;

  let token = config.auth.token ?? stored;
  let generatedTokenPath: string | undefined;
  if (config.auth.mode === "token" && token === undefined) {
    const created = await loadOrCreateStoredToken(paths.stateDir);
    token = created.token;
    if (created.created) generatedTokenPath = created.path;
  }
  return {
    paths,
    snapshot,
    config,
    secrets: { token, password: config.auth.password },
    generatedTokenPath,
    secretRefs,
  };
}
