// src/config/sensitive.ts as it was before it walked the generated shape table (main f2fadef): the
// reference the new walk is held to (tests/config/sensitive_test.ts). It walks the zod schema itself;
// what it does where the schema stops describing (the key a value sits under, lists under it) changed
// with the product's redaction fixes of session 12, in step.
import { z } from "zod";
import { RawConfigSchema } from "../../src/config/schema.ts";
// The key-name rule is the product's own: what this oracle holds the generated shape table to is the
// schema walk (its SENSITIVE marks, objects, records, lists, unions), not the names.
// So is what is done where the schema stops describing (by key name), and which strings count as secrets.
import {
  type ConfigPath,
  CREDENTIAL_KEY_ENDINGS,
  onePerPath,
  secretString,
  type SensitiveLeaf,
  undescribed,
} from "../../src/config/sensitive.ts";

export type { ConfigPath, SensitiveLeaf };

type Schema = z.core.$ZodType;
/** The child schemas of one zod node, by the def field zod keeps them in. */
type Def = {
  type: string;
  innerType?: Schema | undefined;
  in?: Schema | undefined;
  out?: Schema | undefined;
  getter?: (() => Schema | undefined) | undefined;
  shape?: Record<string, Schema> | undefined;
  catchall?: Schema | undefined;
  valueType?: Schema | undefined;
  element?: Schema | undefined;
  options?: Schema[] | undefined;
  left?: Schema | undefined;
  right?: Schema | undefined;
};

/** Any zod node: every schema, whatever its kind, is an instance of zod's core type. */
function isSchema(value: unknown): value is Schema {
  return value instanceof z.core.$ZodType;
}

function schemaIn(node: unknown, key: string): Schema | undefined {
  const value = isObject(node) ? node[key] : undefined;
  return isSchema(value) ? value : undefined;
}

// zod types `_zod.def` per schema kind, and a node here may be of any kind, so its children are
// read field by field, each checked to be a schema.
function defOf(schema: Schema): Def {
  const def = schema._zod.def;
  const fields: Record<string, unknown> = isObject(def) ? def : {};
  const shape = fields.shape;
  const options = fields.options;
  return {
    type: def.type,
    innerType: schemaIn(fields, "innerType"),
    in: schemaIn(fields, "in"),
    out: schemaIn(fields, "out"),
    // A lazy node resolves (and caches) its getter's schema as `_zod.innerType`.
    getter: def.type === "lazy" ? () => schemaIn(schema._zod, "innerType") : undefined,
    shape: isObject(shape)
      ? Object.fromEntries(Object.entries(shape).filter((entry): entry is [string, Schema] => isSchema(entry[1])))
      : undefined,
    catchall: schemaIn(fields, "catchall"),
    valueType: schemaIn(fields, "valueType"),
    element: schemaIn(fields, "element"),
    options: Array.isArray(options) ? options.filter(isSchema) : undefined,
    left: schemaIn(fields, "left"),
    right: schemaIn(fields, "right"),
  };
}

function isMarked(schema: Schema): boolean {
  return z.globalRegistry.get(schema)?.sensitive === true;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function walk(schema: Schema | undefined, value: unknown, path: ConfigPath, out: SensitiveLeaf[]): void {
  if (schema === undefined) return undescribed(value, path, out);
  if (isMarked(schema)) {
    // A SecretRef object names where the secret lives, not the secret: it stays visible.
    if (secretString(value)) out.push({ path, value });
    return;
  }
  const def = defOf(schema);
  switch (def.type) {
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
    case "catch":
    case "nonoptional":
      return walk(def.innerType, value, path, out);
    case "pipe":
      // A preprocess (a transform piped into the real schema) holds the fields on its `out` side.
      return walk(def.in && defOf(def.in).type === "transform" ? def.out : def.in, value, path, out);
    case "lazy":
      return walk(def.getter?.(), value, path, out);
    case "object":
      if (!isObject(value)) return;
      for (const [key, child] of Object.entries(value)) {
        const field = def.shape?.[key] ?? def.catchall;
        walk(field, child, [...path, key], out);
      }
      return;
    case "record":
      if (!isObject(value)) return;
      for (const [key, child] of Object.entries(value)) walk(def.valueType, child, [...path, key], out);
      return;
    case "array":
      if (Array.isArray(value)) value.forEach((item, i) => walk(def.element, item, [...path, i], out));
      return;
    case "union":
      for (const option of def.options ?? []) walk(option, value, path, out);
      return;
    case "intersection":
      walk(def.left, value, path, out);
      walk(def.right, value, path, out);
      return;
    case "unknown":
    case "any":
    case "never":
      return undescribed(value, path, out);
    default:
      return;
  }
}

/**
 * Every secret in a config tree (as written or resolved): values at fields the schema marks
 * sensitive, and, where the schema describes nothing, values under credential-like key names.
 * `${VAR}` references and SecretRef objects are not secrets and are not listed.
 */
export function sensitiveLeaves(value: unknown, schema: Schema = RawConfigSchema): SensitiveLeaf[] {
  const found: SensitiveLeaf[] = [];
  walk(schema, value, [], found);
  return onePerPath(found);
}

function markedNames(schema: Schema | undefined, into: Set<string>, seen: Set<Schema>, key?: string): void {
  if (schema === undefined) return;
  if (isMarked(schema)) {
    if (key !== undefined) into.add(key);
    return;
  }
  if (seen.has(schema)) return;
  seen.add(schema);
  const def = defOf(schema);
  markedNames(def.innerType ?? def.in, into, seen, key);
  // Record keys and array items have no name of their own (headers: any header name).
  markedNames(def.element ?? def.valueType, into, seen);
  for (const [name, field] of Object.entries(def.shape ?? {})) markedNames(field, into, seen, name);
  for (const option of def.options ?? []) markedNames(option, into, seen, key);
}

/**
 * The key names that hold credentials: every field the schema marks sensitive, plus
 * {@link CREDENTIAL_KEY_ENDINGS}. The log redactor masks `key: value` text by these names.
 */
export function credentialKeyNames(schema: Schema = RawConfigSchema): string[] {
  const names = new Set<string>();
  markedNames(schema, names, new Set());
  return [...new Set([...names, ...CREDENTIAL_KEY_ENDINGS])];
}
