// The redaction marker in a `config set|patch` edit, handled as the reference handles it: where a
// secret lives, the marker stands for the stored value (a value copied from `config get` writes
// back unchanged); anywhere else, and where nothing is stored, it is refused, never written.
import { isJsonObject } from "../log/json_object.ts";
import { ConfigEditError } from "./config_edit_error.ts";
import type { PathToken } from "./config_path.ts";
import { REDACTED } from "./redaction_marker.ts";
import { pathKey, sensitiveLeaves } from "./sensitive.ts";
import { isSecretUrlPlace } from "./sensitive_url.ts";
import { restoreSecretRefId } from "./secret_ref_redaction.ts";

/** `a.b`, with `[]` for an array level: how the reference names the key it cannot restore. */
function keyLabel(path: readonly PathToken[]): string {
  return path.reduce<string>(
    (out, token) => typeof token === "number" ? `${out}[]` : out ? `${out}.${token}` : token,
    "",
  );
}

/** `a.b[0].c`: how the reference names a marker left in the config. */
function valueLabel(path: readonly PathToken[]): string {
  return path.reduce<string>(
    (out, token) => typeof token === "number" ? `${out}[${token}]` : out ? `${out}.${token}` : token,
    "",
  ) || "<root>";
}

function restore(next: unknown, stored: unknown, path: PathToken[], secrets: ReadonlySet<string>): unknown {
  if (next === REDACTED && secrets.has(pathKey(path))) {
    if (stored === undefined) {
      const key = keyLabel(path);
      throw new ConfigEditError(
        `[config/redaction] Cannot un-redact config key ${key} as it doesn't have any value\nSentinel value "${REDACTED}" in key ${key} is not valid as real data`,
      );
    }
    return stored;
  }
  if (Array.isArray(next)) {
    return next.map((item, i) => restore(item, Array.isArray(stored) ? stored[i] : undefined, [...path, i], secrets));
  }
  if (!isJsonObject(next)) return next;
  const ref = restoreSecretRefId(next, stored, path, keyLabel(path));
  if (ref) return ref;
  // fromEntries defines own keys, so no key (not even `__proto__`) reaches a prototype.
  return Object.fromEntries(
    Object.entries(next).map((
      [key, child],
    ) => [
      key,
      restore(
        child,
        isJsonObject(stored) && Object.hasOwn(stored, key) ? stored[key] : undefined,
        [...path, key],
        secrets,
      ),
    ]),
  );
}

function markersAtUrlPlaces(value: unknown, path: PathToken[], out: Set<string>): void {
  if (value === REDACTED && isSecretUrlPlace(path)) out.add(pathKey(path));
  if (Array.isArray(value)) value.forEach((item, i) => markersAtUrlPlaces(item, [...path, i], out));
  else if (isJsonObject(value)) {
    for (const [key, child] of Object.entries(value)) markersAtUrlPlaces(child, [...path, key], out);
  }
}

function assertNoMarker(value: unknown, path: PathToken[]): void {
  if (value === REDACTED) {
    const label = valueLabel(path);
    throw new ConfigEditError(`Reserved redaction sentinel "${REDACTED}" is not valid config data (${label}).`);
  }
  if (Array.isArray(value)) value.forEach((item, i) => assertNoMarker(item, [...path, i]));
  else if (isJsonObject(value)) {
    for (const [key, child] of Object.entries(value)) assertNoMarker(child, [...path, key]);
  }
}

/**
 * `next` (an edited config) with each redaction marker at a secret's place replaced by the value
 * `stored` holds there. Throws {@link ConfigEditError} in the reference's words for a marker with
 * nothing stored under it, and for one anywhere else (or left in the file): no marker is ever written.
 */
export function restoreRedactedValues(next: unknown, stored: unknown): unknown {
  // The marker is a secret-looking string, so the secret walk finds exactly the markers at secrets'
  // places; a URL place (`*.baseUrl`) is one too, as `config get` hides a credential-bearing URL whole.
  const secrets = new Set(
    sensitiveLeaves(next).filter((leaf) => leaf.value === REDACTED).map((leaf) => pathKey(leaf.path)),
  );
  markersAtUrlPlaces(next, [], secrets);
  const restored = restore(next, stored, [], secrets);
  assertNoMarker(restored, []);
  return restored;
}
