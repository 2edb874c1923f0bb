// Which SecretRefs in a config resolve through `secrets.providers` (a configured provider, an exec ref, an alias
// other than the built-in `default`), and the config the runtime reads once they are resolved. Pure and light: the
// start path asks it whether the resolver (and its exec runner) must load at all. The built-in defaults
// (`{source: "env" | "store" | "file"}` with provider `default` and no `secrets.providers.default`) keep being read
// where the value is used (config/resolve_auth.ts), as before providers existed.
import { isJsonObject } from "../log/json_object.ts";
import { coerceSecretRef, type SecretRefKey, secretRefLabel } from "./secret_ref_key.ts";

/** A provider-backed SecretRef and the config path (dotted) it sits at. */
export interface ProviderRefPlace {
  path: string;
  ref: SecretRefKey;
}

/** A provider-backed ref that did not resolve: where it sits, its `source:provider:id` and the resolver's reason. */
export interface SecretRefFailure {
  path: string;
  label: string;
  reason: string;
}

/** The values the runtime resolved, by `source:provider:id`, the refs that failed (and why), and the lines to log. */
export interface RuntimeSecretRefs {
  values: ReadonlyMap<string, string>;
  failed: ReadonlySet<string>;
  failures: readonly SecretRefFailure[];
  warnings: readonly string[];
}

/** A config with no provider-backed ref resolves nothing. */
export const NO_PROVIDER_REFS: RuntimeSecretRefs = { values: new Map(), failed: new Set(), failures: [], warnings: [] };

/** True when `ref` is read through a provider rather than the built-in default reading. */
export function usesSecretProvider(config: Readonly<Record<string, unknown>>, ref: SecretRefKey): boolean {
  if (ref.source === "exec" || ref.provider !== "default") return true;
  const providers = isJsonObject(config.secrets) ? config.secrets.providers : undefined;
  return isJsonObject(providers) && Object.hasOwn(providers, "default");
}

/** Every provider-backed SecretRef in `config`, outside the `secrets` section that defines the providers. */
export function providerRefPlaces(config: Readonly<Record<string, unknown>>): ProviderRefPlace[] {
  const places: ProviderRefPlace[] = [];
  const walk = (value: unknown, path: string) => {
    const ref = coerceSecretRef(value, config);
    if (ref) {
      if (usesSecretProvider(config, ref)) places.push({ path, ref });
      return;
    }
    if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${path}[${index}]`));
    else if (isJsonObject(value)) {
      for (const [key, child] of Object.entries(value)) walk(child, path ? `${path}.${key}` : key);
    }
  };
  for (const [key, value] of Object.entries(config)) if (key !== "secrets") walk(value, key);
  return places;
}

/**
 * `config` as the runtime reads it: each provider-backed ref replaced by its resolved value, a failed one
 * removed (its owner then runs as if unset, as the reference's degraded owners), any other left as written.
 */
export function materializeProviderRefs<T>(config: T, resolved: RuntimeSecretRefs): T {
  if (resolved.values.size === 0 && resolved.failed.size === 0) return config;
  const root = config as Readonly<Record<string, unknown>>;
  const swap = (value: unknown): unknown => {
    const ref = coerceSecretRef(value, root);
    if (ref && usesSecretProvider(root, ref)) {
      const label = secretRefLabel(ref);
      return resolved.failed.has(label) ? undefined : resolved.values.get(label) ?? value;
    }
    if (Array.isArray(value)) return value.map(swap);
    if (!isJsonObject(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      const next = swap(child);
      if (next !== undefined) out[key] = next;
    }
    return out;
  };
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(root)) {
    const next = key === "secrets" ? value : swap(value);
    if (next !== undefined) out[key] = next;
  }
  return out as T;
}
