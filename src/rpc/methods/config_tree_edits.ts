// The tree edits behind config.set/patch/apply: an RFC 7396 merge patch, and putting stored
// secrets back where a client wrote the redaction marker (in the tree, and in place in its text).
import JSON5 from "json5";
import { replaceStringValues } from "../../config/redact.ts";
import { REDACTED } from "../../config/redaction_marker.ts";
import { isJsonObject } from "../../log/json_object.ts";
import { RpcError } from "../errors.ts";

/** The child of a JSON node under a key (an array's item by index), or undefined. */
function childOf(node: unknown, key: string | number): unknown {
  if (Array.isArray(node)) return node[Number(key)];
  return isJsonObject(node) ? node[String(key)] : undefined;
}

/** Puts stored secrets back where a client wrote {@link REDACTED}; counts how many it restored. */
export function restoreRedacted(
  next: unknown,
  current: unknown,
  path: string[] = [],
): { value: unknown; restored: number } {
  if (next === REDACTED) {
    if (typeof current !== "string") {
      throw new RpcError(
        "INVALID_REQUEST",
        `${path.join(".")} is ${REDACTED} but no stored value exists there; write the real value`,
      );
    }
    return { value: current, restored: 1 };
  }
  if (Array.isArray(next)) {
    let restored = 0;
    const value = next.map((item, i) => {
      const r = restoreRedacted(item, Array.isArray(current) ? current[i] : undefined, [...path, String(i)]);
      restored += r.restored;
      return r.value;
    });
    return { value, restored };
  }
  if (next !== null && typeof next === "object") {
    let restored = 0;
    const value: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(next)) {
      const r = restoreRedacted(
        child,
        childOf(current, key),
        [...path, key],
      );
      restored += r.restored;
      value[key] = r.value;
    }
    return { value, restored };
  }
  return { value: next, restored: 0 };
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
