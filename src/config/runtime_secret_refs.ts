// Resolving a config's provider-backed SecretRefs for the gateway's runtime, at start and at every reload, through
// the one resolver the secrets commands use (secret_ref_resolver.ts; exec providers through secret_exec_runner.ts,
// run because the operator configured them, as the reference runs them). What a failure does is the reference's
// split: the gateway's own ingress auth is required (the start, or the reload, is refused); any other owner (a model
// provider's key, a channel credential) degrades: it runs as if unset and a `[secrets]` line says why.
// Loaded lazily: a config without such refs never reaches this module.
import { ConfigError } from "./errors.ts";
import type { EnvSnapshot } from "./paths.ts";
import {
  materializeProviderRefs,
  providerRefPlaces,
  type RuntimeSecretRefs,
  type SecretRefFailure,
} from "./provider_refs.ts";
import { execProviderRunner } from "./secret_exec_runner.ts";
import { isUsableSecretString, resolveSecretRefs } from "./secret_ref_resolver.ts";
import { secretRefLabel } from "./secret_ref_key.ts";

function isGatewayAuthPlace(path: string): boolean {
  return path === "gateway.auth.token" || path === "gateway.auth.password";
}

/** What runtime resolution may read besides the config. */
export interface RuntimeSecretDeps {
  env: EnvSnapshot;
  /** Reads one team store entry, for store refs through a configured store provider. */
  readStore?: ((name: string) => string | undefined) | undefined;
  /** Resolves only the places this accepts (all when absent). */
  only?: ((path: string) => boolean) | undefined;
}

/** Which credential places the gateway cannot serve without, given the auth mode (unset: either may be). */
const REQUIRED_PLACES: Readonly<Record<string, (mode: unknown) => boolean>> = {
  "gateway.auth.token": (mode) => mode === undefined || mode === "token",
  "gateway.auth.password": (mode) => mode === undefined || mode === "password",
};

/** True when a failed ref at `path` must refuse the start (or reload) rather than degrade its owner. */
export function isRequiredSecretPlace(config: Readonly<Record<string, unknown>>, path: string): boolean {
  const gateway = config.gateway as { auth?: { mode?: unknown } } | undefined;
  return REQUIRED_PLACES[path]?.(gateway?.auth?.mode) ?? false;
}

/** A file's permission bits, or undefined when it cannot be stat'ed (the read then reports why). */
export async function fileModeOf(path: string): Promise<number | undefined> {
  try {
    return ((await Deno.stat(path)).mode ?? 0) & 0o777;
  } catch {
    return undefined;
  }
}

/**
 * Resolves every provider-backed ref of `config`. Throws a {@link ConfigError} naming the place, the ref and the
 * fix when a required place fails; other failures come back as `failed` with their warning lines.
 */
export async function resolveRuntimeSecretRefs(
  config: Readonly<Record<string, unknown>>,
  deps: RuntimeSecretDeps,
): Promise<RuntimeSecretRefs> {
  const places = providerRefPlaces(config).filter((place) => deps.only?.(place.path) ?? true);
  const outcomes = await resolveSecretRefs(places.map((place) => place.ref), {
    config,
    env: deps.env,
    readStore: deps.readStore,
    readFile: (path) => Deno.readTextFile(path),
    fileMode: fileModeOf,
    runExec: execProviderRunner(deps.env),
  });
  const values = new Map<string, string>();
  const failed = new Set<string>();
  const failures: SecretRefFailure[] = [];
  const warnings: string[] = [];
  for (const { path, ref } of places) {
    const label = secretRefLabel(ref);
    const outcome = outcomes.get(label);
    let reason: string | undefined;
    if (!outcome) reason = `Secret reference "${label}" resolved to no value.`;
    else if (!outcome.ok) reason = outcome.error.message;
    else if (!isUsableSecretString(outcome.value)) {
      reason = `Secret reference "${label}" resolved to a non-string or empty value.`;
    } else values.set(label, outcome.value as string);
    if (reason === undefined) continue;
    if (isRequiredSecretPlace(config, path)) {
      throw new ConfigError(
        `${reason} ${path} refers to ${label}; fix secrets.providers.${ref.provider} or change the reference`,
        { cause: outcome && !outcome.ok ? outcome.error : undefined },
      );
    }
    failed.add(label);
    failures.push({ path, label, reason });
    warnings.push(
      `[SECRETS_DEGRADED] ${path} (${label}): ${reason} It runs as if unset. Retry: openclaw secrets reload.`,
    );
  }
  return { values, failed, failures, warnings };
}

/**
 * `config` with its provider-backed gateway auth refs resolved, for a CLI command that connects to the gateway (as
 * the reference's CLI resolves them). With `explicit` auth (`--token`/`--password`) they are not run but dropped.
 */
export async function withGatewayAuthRefs<T>(config: T, deps: RuntimeSecretDeps, explicit: boolean): Promise<T> {
  const root = config as Readonly<Record<string, unknown>>;
  if (explicit) {
    const places = providerRefPlaces(root).filter((place) => isGatewayAuthPlace(place.path));
    const failed = new Set(places.map((place) => secretRefLabel(place.ref)));
    return materializeProviderRefs(config, { values: new Map(), failed, failures: [], warnings: [] });
  }
  return materializeProviderRefs(config, await resolveRuntimeSecretRefs(root, { ...deps, only: isGatewayAuthPlace }));
}
