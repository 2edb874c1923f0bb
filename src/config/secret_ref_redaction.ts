// A SecretRef at a secret's place, as `openclaw config get` shows it and `config set|patch` takes it
// back, the reference's way: its `id` (an env name, a file pointer, an exec argument) prints as the
// redaction marker, and a ref copied back with that marker keeps the stored id, provided its source
// and provider are still the stored ones.
import { isJsonObject } from "../log/json_object.ts";
import { ConfigEditError } from "./config_edit_error.ts";
import { type PathToken, setAtPath } from "./config_path.ts";
import { REDACTED } from "./redaction_marker.ts";
import { pathKey, secretString, sensitiveLeaves } from "./sensitive.ts";

/** `{source, id, provider?}` with string fields: the shape the reference treats as a SecretRef. */
function isSecretRef(value: unknown): value is Record<string, unknown> & { source: string; id: string } {
  return isJsonObject(value) && typeof value.source === "string" && typeof value.id === "string";
}

/** True when a string at `path` would be a secret (a SecretInput field, or a credential-named key). */
export function isSecretPlace(path: readonly PathToken[]): boolean {
  if (path.length === 0) return false;
  const probe: Record<string, unknown> = {};
  setAtPath(probe, path, "probe");
  const key = pathKey([...path]);
  return sensitiveLeaves(probe).some((leaf) => pathKey(leaf.path) === key);
}

/** The path of the `id` of each SecretRef at a secret's place: what a redacted config hides. */
export function secretRefIds(value: unknown, path: PathToken[] = [], out: PathToken[][] = []): PathToken[][] {
  if (isSecretRef(value) && secretString(value.id) && isSecretPlace(path)) out.push([...path, "id"]);
  else if (Array.isArray(value)) value.forEach((item, i) => secretRefIds(item, [...path, i], out));
  else if (isJsonObject(value)) {
    for (const [key, child] of Object.entries(value)) secretRefIds(child, [...path, key], out);
  }
  return out;
}

/**
 * The ref to write for `next`, a SecretRef whose id is the marker at `label`: the stored id back, or
 * a {@link ConfigEditError} in the reference's words. Undefined when `next` is no such ref.
 */
export function restoreSecretRefId(
  next: unknown,
  stored: unknown,
  path: readonly PathToken[],
  label: string,
): Record<string, unknown> | undefined {
  if (!isSecretRef(next) || next.id !== REDACTED || !isSecretPlace(path)) return undefined;
  if (!isSecretRef(stored) || typeof stored.provider !== "string") {
    throw new ConfigEditError(
      isSecretRef(stored)
        ? `SecretRef at ${label} requires a provider field to restore the redacted id automatically (original ref lacks provider).`
        : `SecretRef at ${label} contains a redacted id placeholder with no matching original value.`,
    );
  }
  if (typeof next.provider !== "string") {
    throw new ConfigEditError(
      `SecretRef at ${label} must include source, provider, and id when redacted placeholders are present.`,
    );
  }
  if (next.source !== stored.source || next.provider !== stored.provider) {
    throw new ConfigEditError(
      `SecretRef at ${label} changed source/provider while id is redacted. Provide an explicit id when changing source/provider.`,
    );
  }
  return { ...next, id: stored.id };
}
