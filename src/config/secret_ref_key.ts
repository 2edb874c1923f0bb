// A SecretRef's shape: what a ref written at a credential place is, with its provider alias filled in from
// `secrets.defaults`. Apart from the resolver (secret_ref_resolver.ts) so the start path can find provider-backed
// refs (provider_refs.ts) without loading what resolves them.
import { isJsonObject } from "../log/json_object.ts";

/** A SecretRef with its provider alias filled in. */
export interface SecretRefKey {
  source: string;
  provider: string;
  id: string;
}

/** `source:provider:id`, the reference's key and label for a ref. */
export function secretRefLabel(ref: SecretRefKey): string {
  return `${ref.source}:${ref.provider}:${ref.id}`;
}

/** The provider alias a ref without one uses: `secrets.defaults.<source>`, else `default`. */
export function defaultProviderAlias(config: Readonly<Record<string, unknown>>, source: string): string {
  const defaults = secretsSection(config).defaults;
  const named = isJsonObject(defaults) ? defaults[source] : undefined;
  return typeof named === "string" && named.trim() ? named.trim() : "default";
}

/** A SecretRef object written at a credential place, its provider filled from the defaults; else undefined. */
export function coerceSecretRef(
  value: unknown,
  config: Readonly<Record<string, unknown>>,
): SecretRefKey | undefined {
  if (!isJsonObject(value)) return undefined;
  const { source, provider, id } = value;
  if (typeof source !== "string" || !["env", "file", "exec", "store"].includes(source)) return undefined;
  if (typeof id !== "string" || !id.trim()) return undefined;
  const alias = typeof provider === "string" && provider.trim() ? provider : defaultProviderAlias(config, source);
  return { source, provider: alias, id };
}

/** The config's `secrets` section, or an empty one. */
export function secretsSection(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return isJsonObject(config.secrets) ? config.secrets : {};
}
