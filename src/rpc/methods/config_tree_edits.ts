// The tree edits behind config.set/patch/apply: an RFC 7396 merge patch, and putting stored
// secrets back where a client wrote the redaction marker (in the tree, and in place in its text).
import JSON5 from "json5";
import { replaceStringValues } from "../../config/redact.ts";
import { REDACTED } from "../../config/redaction_marker.ts";
import { ConfigEditError } from "../../config/config_edit_error.ts";
import { restoreRedactedValues } from "../../config/redaction_restore.ts";
import { isJsonObject } from "../../log/json_object.ts";
import { RpcError } from "../errors.ts";

/** The child of a JSON node under a key (an array's item by index), or undefined. */
function childOf(node: unknown, key: string | number): unknown {
  if (Array.isArray(node)) return node[Number(key)];
  return isJsonObject(node) ? node[String(key)] : undefined;
}

/**
 * Puts stored secrets back where a client wrote {@link REDACTED}, by the rules `openclaw config set`
 * follows (the reference shares them between its RPC and CLI): a marker at a secret's place, a
 * credential URL's place or a SecretRef's id keeps what is stored; anywhere else, or with nothing
 * stored, the write is refused. `restored` says whether any marker was replaced.
 */
export function restoreRedacted(next: unknown, current: unknown): { value: unknown; restored: boolean } {
  try {
    const value = restoreRedactedValues(next, current ?? {});
    return { value, restored: JSON.stringify(value) !== JSON.stringify(next) };
  } catch (error) {
    if (!(error instanceof ConfigEditError)) throw error;
    // The reference's CLI prints its logged warning line before the refusal; its RPC answers the
    // refusal alone, which is the message's last line.
    throw new RpcError("INVALID_REQUEST", error.message.split("\n").at(-1)!);
  }
}

/** RFC 7396 merge patch: objects merge, `null` deletes, everything else (arrays too) replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) return patch;
  const base: Record<string, unknown> = isJsonObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete base[key];
    else base[key] = mergePatch(base[key], value);
  }
  return base;
}

function valueAt(tree: unknown, path: (string | number)[]): unknown {
  let node = tree;
  for (const key of path) node = childOf(node, key);
  return node;
}

/**
 * `raw` as the client sent it with each {@link REDACTED} value replaced in place by the stored
 * secret, or undefined when that cannot be shown to give exactly `restored` (then the caller
 * writes the tree as JSON).
 */
export function restoreRawText(raw: string, restored: unknown): string | undefined {
  const replaced = replaceStringValues(raw, (path, literal) => {
    if (literal.slice(1, -1) !== REDACTED) return undefined;
    const value = valueAt(restored, path);
    return typeof value === "string" ? value : undefined;
  });
  if (!replaced) return undefined;
  try {
    return JSON.stringify(JSON5.parse(replaced.text)) === JSON.stringify(restored) ? replaced.text : undefined;
  } catch {
    return undefined;
  }
}
