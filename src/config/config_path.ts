// Config paths as `openclaw config get|set|unset|patch` take them: dot or bracket notation
// (`agents.defaults.models["openai/gpt-5.4"].alias`, `models.providers.x.models[0]`), parsed,
// read, written and removed in a plain JSON tree, with the reference's words for every refusal.
import { isJsonObject } from "../log/json_object.ts";

/** One path token: a key, or an array index written in brackets (`[0]`). */
export type PathToken = string | number;

/** A path the CLI cannot use; the message is the reference's, word for word. */
export class ConfigPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigPathError";
  }
}

/** Keys a path may never name: they would reach an object's prototype. */
const BLOCKED_KEYS = new Set(["__proto__", "prototype", "constructor"]);

/**
 * The largest array index a path may name, as the reference bounds it: `[4294967294]` would make
 * a sparse array whose JSON text alone exhausts memory before validation could refuse it.
 */
export const MAX_ARRAY_INDEX = 100_000;

/** A decimal array index (`0`, `12`, at most {@link MAX_ARRAY_INDEX}), or undefined for any other segment. */
export function arrayIndex(segment: PathToken): number | undefined {
  const index = typeof segment === "number" ? segment : /^(0|[1-9]\d*)$/.test(segment) ? Number(segment) : NaN;
  return Number.isSafeInteger(index) && index >= 0 && index <= MAX_ARRAY_INDEX ? index : undefined;
}

function quotedSegment(inside: string, raw: string): string {
  const fail = () => new ConfigPathError(`Invalid path bracket string (${inside}): ${raw}`);
  let value: unknown;
  if (inside.startsWith('"')) {
    try {
      value = JSON.parse(inside);
    } catch {
      throw fail();
    }
  } else {
    // A single-quoted key: the text between the quotes, with `\x` standing for x.
    if (inside.length < 2 || !inside.endsWith("'")) throw fail();
    let text = "";
    for (let i = 1; i < inside.length - 1; i++) {
      const char = inside[i]!;
      if (char === "'") throw fail();
      if (char === "\\") {
        i += 1;
        if (i >= inside.length - 1) throw fail();
        text += inside[i];
        continue;
      }
      text += char;
    }
    value = text;
  }
  if (typeof value !== "string" || !value.trim()) throw fail();
  return value;
}

function bracketClose(path: string, open: number): number {
  let quote: string | undefined;
  for (let i = open + 1; i < path.length; i++) {
    const char = path[i];
    if (quote) {
      if (char === "\\") i += 1;
      else if (char === quote) quote = undefined;
      continue;
    }
    if (char === "]") return i;
    if ((char === '"' || char === "'") && !path.slice(open + 1, i).trim()) quote = char;
  }
  return -1;
}

/** A parsed path, and which of its segments are quoted numbers (`["12"]`: a key, never an index). */
export interface ParsedConfigPath {
  tokens: PathToken[];
  quotedNumeric: ReadonlySet<number>;
}

/**
 * Parses a dot/bracket path into tokens: `a.b["c.d"][0]` → `["a", "b", "c.d", 0]`. A backslash
 * escapes the next character of a dotted key. Throws {@link ConfigPathError} as the reference does.
 */
export function parseConfigPath(raw: string): PathToken[] {
  return parseConfigPathDetailed(raw).tokens;
}

/** {@link parseConfigPath}, also naming the quoted numeric segments (a `set` creates an object, not an array, there). */
export function parseConfigPathDetailed(raw: string): ParsedConfigPath {
  const path = raw.trim();
  if (!path) throw new ConfigPathError("Path is empty.");
  const tokens: PathToken[] = [];
  const quotedNumeric = new Set<number>();
  const empty = () => new ConfigPathError(`Invalid path (empty segment): ${raw}`);
  let current = "";
  let emitted = false;
  for (let i = 0; i < path.length; i++) {
    const char = path[i]!;
    if (char === "\\") {
      if (i + 1 >= path.length) throw new ConfigPathError(`Invalid path (trailing escape): ${raw}`);
      current += path[++i];
      continue;
    }
    if (char === ".") {
      if ((current.length > 0 && !current.trim()) || (!emitted && !current.trim())) throw empty();
      if (current) tokens.push(current.trim());
      current = "";
      emitted = false;
      continue;
    }
    if (char === "[") {
      if ((current.length > 0 && !current.trim()) || (!current.trim() && !emitted && tokens.length > 0)) throw empty();
      if (current) tokens.push(current.trim());
      current = "";
      const close = bracketClose(path, i);
      if (close === -1) throw new ConfigPathError(`Invalid path (missing "]"): ${raw}`);
      const inside = path.slice(i + 1, close).trim();
      if (!inside) throw new ConfigPathError(`Invalid path (empty "[]"): ${raw}`);
      const quoted = inside.startsWith('"') || inside.startsWith("'");
      const segment = quoted ? quotedSegment(inside, raw) : arrayIndex(inside) ?? inside;
      if (quoted && arrayIndex(segment) !== undefined) quotedNumeric.add(tokens.length);
      tokens.push(segment);
      const next = path[close + 1];
      if (next !== undefined && next !== "." && next !== "[") {
        throw new ConfigPathError(`Invalid path (missing separator after bracket): ${raw}`);
      }
      emitted = true;
      i = close;
      continue;
    }
    current += char;
  }
  if (!emitted && !current.trim()) throw empty();
  if (current) tokens.push(current.trim());
  for (const token of tokens) {
    if (typeof token === "string" && BLOCKED_KEYS.has(token)) {
      throw new ConfigPathError(`Invalid path segment: ${token}`);
    }
  }
  return { tokens, quotedNumeric };
}

/** Formats tokens back as the reference prints a path: dotted identifiers, other keys in `["…"]`, indices in `[n]`. */
export function formatConfigPath(tokens: readonly PathToken[]): string {
  return tokens.reduce<string>((out, token) => {
    if (typeof token === "number") return `${out}[${token}]`;
    if (!/^[A-Za-z_$][A-Za-z0-9_$:-]*$/.test(token)) return `${out}[${JSON.stringify(token)}]`;
    return out ? `${out}.${token}` : token;
  }, "");
}

/** The value at a path, and whether the path exists (an explicit `null` exists). */
export function getAtPath(root: unknown, path: readonly PathToken[]): { found: boolean; value?: unknown } {
  let current = root;
  for (const segment of path) {
    if (Array.isArray(current)) {
      const index = arrayIndex(segment);
      if (index === undefined || index >= current.length) return { found: false };
      current = current[index];
    } else if (isJsonObject(current)) {
      if (!Object.hasOwn(current, String(segment))) return { found: false };
      current = current[String(segment)];
    } else return { found: false };
  }
  return { found: true, value: current };
}

/** How {@link setAtPath} shapes a missing parent that a numeric segment follows. */
export interface SetPathOptions {
  /** Segments written as quoted numbers (`["0"]`): keys, so their parent is an object. */
  quotedNumeric?: ReadonlySet<number> | undefined;
  /** Every numeric segment is a key (a patch object's keys): parents are objects. */
  numericKeys?: boolean | undefined;
  /** Whether the schema wants an array at a path (undefined: it does not say, and an object is made). */
  prefersArray?: ((path: readonly PathToken[]) => boolean | undefined) | undefined;
}

/** Whether a missing parent at `path[i]` is made an array, as the reference decides it. */
function createsArray(path: readonly PathToken[], i: number, options: SetPathOptions): boolean {
  const next = path[i + 1];
  if (next === undefined || options.numericKeys || arrayIndex(next) === undefined) return false;
  if (typeof next === "number") return true;
  if (options.quotedNumeric?.has(i + 1)) return false;
  // The reference makes an array where its schema says nothing; ours leaves open many maps the
  // reference types (`agents.defaults.models`), so only a schema asking for an array gets one.
  return options.prefersArray?.(path.slice(0, i + 1)) ?? false;
}

/**
 * Sets a value in a tree the caller owns, creating missing parents: an array when the next token
 * is a bracketed index (`[0]`), or a dotted one (`.0`) where the schema wants an array; else an object. Throws {@link ConfigPathError} when a parent is a scalar.
 */
export function setAtPath(
  root: Record<string, unknown>,
  path: readonly PathToken[],
  value: unknown,
  options: SetPathOptions = {},
): void {
  if (path.length === 0) throw new ConfigPathError("Config path must contain at least one segment");
  let current: unknown = root;
  for (const [i, segment] of path.slice(0, -1).entries()) {
    const fresh = () => createsArray(path, i, options) ? [] : {};
    if (Array.isArray(current)) {
      const index = arrayIndex(segment);
      if (index === undefined) throw new ConfigPathError(`Expected numeric index for array segment "${segment}"`);
      if (current[index] === null || typeof current[index] !== "object") current[index] = fresh();
      current = current[index];
      continue;
    }
    if (!isJsonObject(current)) throw new ConfigPathError(`Cannot traverse into "${segment}" (not an object)`);
    const key = String(segment);
    const existing = Object.hasOwn(current, key) ? current[key] : undefined;
    if (existing === null || typeof existing !== "object") current[key] = fresh();
    current = current[key];
  }
  const last = path.at(-1)!;
  if (Array.isArray(current)) {
    const index = arrayIndex(last);
    if (index === undefined) throw new ConfigPathError(`Expected numeric index for array segment "${last}"`);
    current[index] = value;
    return;
  }
  if (!isJsonObject(current)) throw new ConfigPathError(`Cannot set "${last}" (parent is not an object)`);
  current[String(last)] = value;
}

/** Removes the value at a path (an array item is spliced out); false when nothing was there. */
export function unsetAtPath(root: unknown, path: readonly PathToken[]): boolean {
  if (path.length === 0) return false;
  const parent = getAtPath(root, path.slice(0, -1)).value;
  const last = path.at(-1)!;
  if (Array.isArray(parent)) {
    const index = arrayIndex(last);
    if (index === undefined || index >= parent.length) return false;
    parent.splice(index, 1);
    return true;
  }
  if (!isJsonObject(parent) || !Object.hasOwn(parent, String(last))) return false;
  delete parent[String(last)];
  return true;
}

function alternatives(schema: Record<string, unknown>, seen = new Set<unknown>()): Record<string, unknown>[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const out = [schema];
  for (const key of ["anyOf", "oneOf", "allOf"]) {
    const entries = schema[key];
    if (!Array.isArray(entries)) continue;
    for (const entry of entries) if (isJsonObject(entry)) out.push(...alternatives(entry, seen));
  }
  return out;
}

function childSchemas(schema: Record<string, unknown>, segment: PathToken): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const option of alternatives(schema)) {
    const types = Array.isArray(option.type) ? option.type : [option.type];
    if (types.includes("array") || option.items !== undefined) {
      const index = arrayIndex(segment);
      if (index !== undefined) {
        const item = Array.isArray(option.items) ? option.items[index] : option.items;
        if (isJsonObject(item)) out.push(item);
      }
      continue;
    }
    const properties = isJsonObject(option.properties) ? option.properties : undefined;
    const named = properties && Object.hasOwn(properties, String(segment)) ? properties[String(segment)] : undefined;
    if (isJsonObject(named)) out.push(named);
    else if (isJsonObject(option.additionalProperties)) out.push(option.additionalProperties);
  }
  return out;
}

function schemasAt(schema: Record<string, unknown>, path: readonly PathToken[]): Record<string, unknown>[] {
  let schemas = [schema];
  for (const segment of path) {
    schemas = schemas.flatMap((candidate) => childSchemas(candidate, segment));
    if (schemas.length === 0) return [];
  }
  return schemas;
}

/** True when the JSON Schema describes a value at `path` (so an unset path is "valid but unset"). */
export function isSchemaPath(schema: Record<string, unknown>, path: readonly PathToken[]): boolean {
  return schemasAt(schema, path).length > 0;
}

/** True when the schema wants only an array at `path`, false when only an object, else undefined. */
export function schemaPrefersArray(schema: Record<string, unknown>, path: readonly PathToken[]): boolean | undefined {
  const options = schemasAt(schema, path).flatMap((candidate) => alternatives(candidate));
  const types = (option: Record<string, unknown>) => Array.isArray(option.type) ? option.type : [option.type];
  const array = options.some((option) => types(option).includes("array") || option.items !== undefined);
  const object = options.some((option) =>
    types(option).includes("object") || isJsonObject(option.properties) ||
    option.additionalProperties === true || isJsonObject(option.additionalProperties)
  );
  return array === object ? undefined : array;
}
