// The edits `openclaw config set|unset|patch` make to a config as written: values parsed as the
// reference parses them, merges, the protected maps a plain replace may not shrink, patch files
// turned into operations. Pure: the command (src/cli/commands/config_write.ts) reads and writes.
import JSON5 from "json5";
import { isJsonObject } from "../log/json_object.ts";
import { ConfigEditError } from "./config_edit_error.ts";
import { restoreRedactedValues } from "./redaction_restore.ts";
import {
  arrayIndex,
  formatConfigPath,
  getAtPath,
  type PathToken,
  setAtPath,
  type SetPathOptions,
  unsetAtPath,
} from "./config_path.ts";

export { ConfigEditError } from "./config_edit_error.ts";

/** How an operation's value was given (the dry-run report's `inputModes`). */
export type InputMode = "value" | "json" | "builder" | "unset";

/** One change: set (replace or merge) or delete one path. */
export interface EditOperation {
  inputMode: InputMode;
  path: PathToken[];
  value?: unknown;
  /** `delete` removes the path; `merge` merges objects; `replace` may shrink a protected map. */
  mutation?: "delete" | "merge" | "replace" | undefined;
  /** Path segments written as quoted numbers (`["0"]`): keys, never array indices. */
  quotedNumeric?: ReadonlySet<number> | undefined;
}

function rejectNonFinite(value: unknown): void {
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new ConfigEditError("Config values must be finite numbers (no NaN or Infinity).");
  }
  if (Array.isArray(value)) value.forEach(rejectNonFinite);
  else if (isJsonObject(value)) Object.values(value).forEach(rejectNonFinite);
}

/**
 * A `config set` value: JSON5 when it parses (else the raw string); with `strict`, standard JSON
 * only, and a parse failure is an error naming the fix.
 */
export function parseSetValue(raw: string, strict: boolean): unknown {
  const trimmed = raw.trim();
  let parsed: unknown;
  if (strict) {
    try {
      parsed = JSON.parse(trimmed);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new ConfigEditError(
        `Could not parse ${JSON.stringify(raw)} as JSON for --strict-json. ${detail}. Use valid JSON. ` +
          "For structured changes, use a JSON5 config patch object file with `openclaw config patch --file <path> --dry-run`. " +
          "For plain strings, omit --strict-json.",
      );
    }
  } else {
    try {
      parsed = JSON5.parse(trimmed);
    } catch {
      return raw;
    }
  }
  rejectNonFinite(parsed);
  return parsed;
}

function isProviderModelList(path: readonly PathToken[]): boolean {
  return path.length === 4 && path[0] === "models" && path[1] === "providers" && path[3] === "models";
}

function modelIds(value: unknown): Set<string> | undefined {
  if (!Array.isArray(value)) return undefined;
  const ids = new Set<string>();
  for (const entry of value) {
    if (!isJsonObject(entry) || typeof entry.id !== "string" || !entry.id.trim()) return undefined;
    ids.add(entry.id.trim());
  }
  return ids;
}

/** A provider's model list merged by `id`: a known id is updated in place, a new one appended. */
function mergeModelLists(existing: unknown[], patch: unknown[]): unknown[] {
  const merged = [...existing];
  const byId = new Map<string, number>();
  merged.forEach((entry, index) => {
    if (isJsonObject(entry) && typeof entry.id === "string" && entry.id.trim()) byId.set(entry.id.trim(), index);
  });
  for (const entry of patch) {
    const id = isJsonObject(entry) && typeof entry.id === "string" ? entry.id.trim() : "";
    const at = id ? byId.get(id) : undefined;
    if (at === undefined) {
      if (id) byId.set(id, merged.length);
      merged.push(entry);
      continue;
    }
    const current = merged[at];
    merged[at] = isJsonObject(current) && isJsonObject(entry) ? { ...current, ...entry } : entry;
  }
  return merged;
}

/** `--merge`: objects merge recursively, a provider's `models` list by id; anything else cannot merge. */
export function mergeConfigValue(existing: unknown, patch: unknown, path: readonly PathToken[]): unknown {
  if (isProviderModelList(path) && Array.isArray(existing) && Array.isArray(patch)) {
    return mergeModelLists(existing, patch);
  }
  if (isJsonObject(existing) && isJsonObject(patch)) {
    const next: Record<string, unknown> = { ...existing };
    for (const [key, value] of Object.entries(patch)) {
      next[key] = Object.hasOwn(next, key) &&
          ((isJsonObject(next[key]) && isJsonObject(value)) ||
            (isProviderModelList([...path, key]) && Array.isArray(next[key]) && Array.isArray(value)))
        ? mergeConfigValue(next[key], value, [...path, key])
        : value;
    }
    return next;
  }
  throw new ConfigEditError(`Cannot merge ${path.join(".")}; use --replace to replace intentionally.`);
}

/** Deep equality of two JSON trees with key order aside, as the reference compares configs and expectations. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length &&
      keys.every((key) => Object.hasOwn(b, key) && sameJson(a[key], b[key]));
  }
  return Object.is(a, b);
}

/** Maps that commonly hold user-added entries: a plain replace may not drop any of their keys. */
export function isProtectedMapPath(path: readonly PathToken[]): boolean {
  const joined = path.join(".");
  return joined === "agents.defaults.models" || joined === "models.providers" ||
    (path.length === 3 && path[0] === "models" && path[1] === "providers") ||
    joined === "agents.entries" || joined === "plugins.entries" || joined === "auth.profiles";
}

function listed(entries: string[]): string {
  const shown = entries.slice(0, 6);
  return `${shown.join(", ")}${entries.length > shown.length ? `, ... ${entries.length - shown.length} more` : ""}`;
}

/** Throws when replacing `path` with `value` would drop entries of a protected map or model list. */
export function assertNonDestructiveReplacement(root: unknown, path: readonly PathToken[], value: unknown): void {
  const existing = getAtPath(root, path);
  if (!existing.found) return;
  const label = path.join(".");
  if (isProtectedMapPath(path) && isJsonObject(existing.value) && isJsonObject(value)) {
    const removed = Object.keys(existing.value).filter((key) => !Object.hasOwn(value, key));
    if (removed.length > 0) {
      throw new ConfigEditError(
        `Refusing to replace ${label}; it would remove existing entries: ${
          listed(removed)
        }. Use --merge to merge object values or --replace to replace intentionally.`,
      );
    }
  }
  if (isProviderModelList(path)) {
    const before = modelIds(existing.value);
    const after = modelIds(value);
    if (!before || !after) return;
    const removed = [...before].filter((id) => !after.has(id));
    if (removed.length > 0) {
      throw new ConfigEditError(
        `Refusing to replace ${label}; it would remove existing entries: ${
          listed(removed)
        }. Use --merge to merge by id or --replace to replace intentionally.`,
      );
    }
  }
}

/** The outcome of applying operations: the new tree, or the first delete whose path was absent. */
export type ApplyResult = { ok: true; tree: Record<string, unknown> } | { ok: false; missing: PathToken[] };

/**
 * Applies operations in order to a copy of `authored`; `merge`/`replace` are the command's flags,
 * `numericKeys` (a patch) and `prefersArray` (the schema) shape missing parents as {@link setAtPath} says.
 */
export function applyOperations(
  authored: Record<string, unknown>,
  operations: readonly EditOperation[],
  flags: { merge?: boolean | undefined; replace?: boolean | undefined } & Omit<SetPathOptions, "quotedNumeric">,
): ApplyResult {
  const tree = structuredClone(authored);
  for (const operation of operations) {
    const shape: SetPathOptions = { ...flags, quotedNumeric: operation.quotedNumeric };
    if (operation.mutation === "delete") {
      if (!unsetAtPath(tree, operation.path) && operation.inputMode === "unset") {
        return { ok: false, missing: operation.path };
      }
      continue;
    }
    const merge = operation.mutation === "merge" || (flags.merge && operation.mutation !== "replace");
    if (merge) {
      const existing = getAtPath(tree, operation.path);
      const value = existing.found
        ? mergeConfigValue(existing.value, operation.value, operation.path)
        : operation.value;
      setAtPath(tree, operation.path, value, shape);
      continue;
    }
    if (!flags.replace && operation.mutation !== "replace") {
      assertNonDestructiveReplacement(tree, operation.path, operation.value);
    }
    setAtPath(tree, operation.path, operation.value, shape);
  }
  const restored = restoreRedactedValues(tree, authored);
  return { ok: true, tree: isJsonObject(restored) ? restored : tree };
}

/** A SecretRef-shaped object: `{source, provider, id}`. */
function isSecretRefShape(value: Record<string, unknown>): boolean {
  return typeof value.source === "string" && typeof value.provider === "string" && typeof value.id === "string";
}

/**
 * A patch object as operations: objects recurse (an empty one merges), `null` deletes, a SecretRef
 * or any other value sets its path; a `--replace-path` sets its object or array whole.
 */
export function patchOperations(patch: unknown, replacePaths: readonly PathToken[][]): EditOperation[] {
  const modeError = (message: string) => new ConfigEditError(`config patch mode error: ${message}`);
  if (!isJsonObject(patch)) throw modeError("input must be a JSON5 object patch.");
  const wanted = new Map(replacePaths.map((path) => [JSON.stringify(path.map(String)), path]));
  const matched = new Set<string>();
  const operations: EditOperation[] = [];
  const visit = (value: unknown, path: string[]) => {
    const key = JSON.stringify(path);
    if (path.length > 0 && wanted.has(key)) {
      matched.add(key);
      operations.push(
        value === null
          ? { inputMode: "json", path, mutation: "delete" }
          : { inputMode: "json", path, value, mutation: "replace" },
      );
      return;
    }
    if (path.length > 0 && value === null) {
      operations.push({ inputMode: "json", path, mutation: "delete" });
      return;
    }
    if (isJsonObject(value) && (path.length === 0 || !isSecretRefShape(value))) {
      if (path.length > 0 && Object.keys(value).length === 0) {
        operations.push({ inputMode: "json", path, value, mutation: "merge" });
        return;
      }
      for (const [child, childValue] of Object.entries(value)) {
        if (child === "__proto__" || child === "prototype" || child === "constructor") {
          throw new ConfigEditError(`Invalid path segment: ${child}`);
        }
        visit(childValue, [...path, child]);
      }
      return;
    }
    operations.push({ inputMode: "json", path, value });
  };
  visit(patch, []);
  const unused = replacePaths.find((path) => !matched.has(JSON.stringify(path.map(String))));
  if (unused) throw modeError(`--replace-path ${unused.join(".")} did not match any value in the input patch.`);
  rejectNonFinite(patch);
  if (operations.length === 0) throw modeError("input patch did not contain any config updates.");
  return operations;
}

/** The path as the success line prints it (`Updated agents.defaults.models["a/b.c"].alias.`). */
export function describePath(path: readonly PathToken[], tree: unknown): string {
  // An index typed as a dotted segment (`list.0`) prints as `[0]` when it addresses an array.
  let cursor: unknown = tree;
  const tokens = path.map((token) => {
    const concrete = typeof token === "string" && Array.isArray(cursor) ? arrayIndex(token) ?? token : token;
    cursor = cursor !== null && typeof cursor === "object" ? Reflect.get(cursor, String(token)) : undefined;
    return concrete;
  });
  return formatConfigPath(tokens);
}
