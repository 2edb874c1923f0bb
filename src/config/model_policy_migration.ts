// The reference's model-policy migration on a config write (OpenClaw 2026.9.6): a config whose
// legacy `agents.defaults.models` keys restrict (no `modelPolicy`, no marker) gets that whole
// restriction copied to `agents.defaults.modelPolicy.allow` and the marker
// `meta.migrations.modelPolicyAllowlist: true`, so a later model-map edit (`models set` adds an
// entry) no longer narrows what sessions may choose. A restriction holding a ref that is not a
// valid policy entry is left as it is (the write "defers" the migration and drops a stale marker).
// Recorded: tests/fixtures/models/reference_recordings.txt (`models set` writes the marker). Pure.
import { isJsonObject } from "../log/json_object.ts";
import { hasPolicyMigrationMarker, wildcardKey } from "./model_policy.ts";
import type { RawConfig } from "./schema.ts";

/** Selectors the reference accepts in a policy besides refs and aliases. */
const COMPAT_SELECTORS = new Set(["openrouter:auto", "openrouter:free"]);

function record(value: unknown): Record<string, unknown> {
  return isJsonObject(value) ? value : {};
}

function validSegment(segment: string): boolean {
  const control = [...segment].some((c) => c.charCodeAt(0) <= 31 || c.charCodeAt(0) === 127);
  return segment.length > 0 && !segment.includes("*") && !/\s/u.test(segment) && !control;
}

/** Whether `raw` may stand in a policy: an alias of the map, a compat selector, an exact ref or a wildcard. */
export function isValidPolicyEntry(raw: string, models: unknown): boolean {
  const text = raw.trim();
  const aliases = new Set(
    Object.values(record(models)).map((entry) => record(entry).alias).filter((a): a is string => typeof a === "string")
      .map((a) => a.trim().toLowerCase()).filter(Boolean),
  );
  if (aliases.has(text.toLowerCase()) || COMPAT_SELECTORS.has(text.toLowerCase()) || wildcardKey(text)) return true;
  const slash = text.indexOf("/");
  if (slash <= 0) return false;
  const provider = text.slice(0, slash).trim();
  const model = text.slice(slash + 1).trim();
  return [provider, ...model.split("/")].every(validSegment);
}

/** The legacy restriction a config carries, or null when none applies (marked, policy written, no keys). */
function legacyRestriction(config: Record<string, unknown>): string[] | null {
  if (hasPolicyMigrationMarker(config as RawConfig)) return null;
  const defaults = record(record(config.agents).defaults);
  if (isJsonObject(defaults.modelPolicy) || !isJsonObject(defaults.models)) return null;
  const keys = Object.keys(defaults.models).filter((key) => key.trim() !== "");
  return keys.length > 0 ? keys : null;
}

/**
 * The tree a write stores: `next` with the legacy restriction of `previous` (the config before the
 * edit) materialized as `agents.defaults.modelPolicy.allow` and the migration marked, as the reference writes it.
 */
export function materializePolicyMigration(
  previous: Record<string, unknown>,
  next: Record<string, unknown>,
): Record<string, unknown> {
  const nextDefaults = record(record(next.agents).defaults);
  const allow = isJsonObject(nextDefaults.modelPolicy) ? null : legacyRestriction(previous);
  const meta = record(next.meta);
  if (allow && !allow.every((raw) => isValidPolicyEntry(raw, nextDefaults.models))) {
    if (!hasPolicyMigrationMarker(next as RawConfig)) return next;
    const { modelPolicyAllowlist: _dropped, ...migrations } = record(meta.migrations);
    return { ...next, meta: { ...meta, migrations } };
  }
  return {
    ...next,
    ...(allow ? { agents: { ...record(next.agents), defaults: { ...nextDefaults, modelPolicy: { allow } } } } : {}),
    meta: { ...meta, migrations: { ...record(meta.migrations), modelPolicyAllowlist: true } },
  };
}
