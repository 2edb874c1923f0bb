// `config.schema.lookup`: one node of the config JSON Schema by dotted path (`agents.defaults`,
// `channels.*`, `bindings[0]`), as the Settings pages read it: the node's own keywords without its
// subtree, its children (key, path, type, whether required and nested), and how a change to it is
// applied (this gateway's reload rules). The walk follows the reference's lookup: properties, then
// array items for `*` or an index, then anyOf/oneOf/allOf variants, then additionalProperties.
import { configJsonSchema } from "../../config/json_schema.ts";
import { classifyPath, type ReloadKind } from "../../config/reload_plan.ts";
import { RpcError } from "../errors.ts";
import { type MethodTable, validated } from "../registry.ts";

type Schema = Record<string, unknown>;

const FORBIDDEN_SEGMENTS = new Set(["__proto__", "prototype", "constructor"]);
const STRING_KEYS = new Set([
  "$id",
  "$schema",
  "title",
  "description",
  "format",
  "pattern",
  "contentEncoding",
  "contentMediaType",
]);
const NUMBER_KEYS = new Set([
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "minProperties",
  "maxProperties",
]);
const BOOLEAN_KEYS = new Set(["additionalProperties", "uniqueItems", "deprecated", "readOnly", "writeOnly"]);
const COMPOSITION_KEYS = ["anyOf", "oneOf", "allOf"] as const;
const MAX_SEGMENTS = 32;
/** How deep a node's nested object forms are kept (the reference's limit). */
const NESTED_FORM_DEPTH = 4;

function asSchema(value: unknown): Schema | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? value as Schema : undefined;
}

/** `a[0].b[*]` → `a.0.b.*`, without leading, trailing or doubled dots. */
export function normalizeLookupPath(path: string): string {
  return path.trim().replace(/\[(\*|\d*)\]/g, (_match, segment: string) => `.${segment || "*"}`)
    .replace(/^\.+|\.+$/g, "").replace(/\.+/g, ".");
}

function arrayIndex(segment: string): number | undefined {
  return /^(0|[1-9]\d*)$/.test(segment) ? Number(segment) : undefined;
}

function itemsOf(schema: Schema, index?: number): Schema | undefined {
  if (Array.isArray(schema.items)) {
    return asSchema(index === undefined ? schema.items.find((item) => asSchema(item)) : schema.items[index]);
  }
  return asSchema(schema.items);
}

function childOf(schema: Schema, segment: string): Schema | undefined {
  if (FORBIDDEN_SEGMENTS.has(segment)) return undefined;
  const properties = asSchema(schema.properties);
  if (properties && Object.hasOwn(properties, segment)) return asSchema(properties[segment]);
  const index = arrayIndex(segment);
  const items = itemsOf(schema, index);
  if ((segment === "*" || index !== undefined) && items) return items;
  for (const key of COMPOSITION_KEYS) {
    const variants = schema[key];
    if (!Array.isArray(variants)) continue;
    for (const variant of variants) {
      const found = asSchema(variant) && childOf(variant as Schema, segment);
      if (found) return found;
    }
  }
  return asSchema(schema.additionalProperties);
}

function hasChildren(schema: Schema): boolean {
  const properties = asSchema(schema.properties);
  if (properties && Object.keys(properties).length > 0) return true;
  if (asSchema(schema.additionalProperties)) return true;
  if (Array.isArray(schema.items)) return schema.items.some((item) => asSchema(item) !== undefined);
  for (const key of ["oneOf", "anyOf", "allOf"] as const) {
    const variants = schema[key];
    if (Array.isArray(variants) && variants.some((variant) => asSchema(variant) && hasChildren(variant))) return true;
  }
  return asSchema(schema.items) !== undefined;
}

function isScalar(value: unknown): boolean {
  return value === null || ["string", "number", "boolean"].includes(typeof value);
}

/** The node's own keywords; nested forms kept only a few levels deep, as the reference strips them. */
function strip(schema: Schema, depth = 0): Schema {
  const next: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (STRING_KEYS.has(key) && typeof value === "string") next[key] = value;
    else if (NUMBER_KEYS.has(key) && typeof value === "number") next[key] = value;
    else if (BOOLEAN_KEYS.has(key) && typeof value === "boolean") next[key] = value;
    else if (key === "type" && (typeof value === "string" || (Array.isArray(value) && value.every(isString)))) {
      next[key] = Array.isArray(value) ? [...value] : value;
    } else if (key === "enum" && Array.isArray(value) && value.every(isScalar)) next[key] = [...value];
    else if (key === "const" && isScalar(value)) next[key] = value;
  }
  const properties = asSchema(schema.properties);
  const additional = asSchema(schema.additionalProperties);
  if (properties && ((depth > 0 && depth <= NESTED_FORM_DEPTH) || additional)) {
    next.properties = Object.fromEntries(
      Object.entries(properties).map(([key, child]) => [key, strip(asSchema(child) ?? {}, depth + 1)]),
    );
  }
  if (additional) next.additionalProperties = strip(additional, depth + 1);
  if (Array.isArray(schema.items)) next.items = schema.items.map((item) => strip(asSchema(item) ?? {}, depth + 1));
  else if (asSchema(schema.items)) next.items = strip(schema.items as Schema, depth + 1);
  if (depth <= NESTED_FORM_DEPTH) {
    for (const key of COMPOSITION_KEYS) {
      const variants = schema[key];
      if (!Array.isArray(variants)) continue;
      next[key] = variants.filter((variant) => asSchema(variant)).map((variant) => strip(variant, depth + 1));
    }
  }
  return next;
}

function isString(value: unknown): value is string {
  return typeof value === "string";
}

function children(schema: Schema, path: string, reloadKind: (path: string) => ReloadKind) {
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const child = (key: string, node: Schema, isRequired: boolean) => {
    const childPath = path ? `${path}.${key}` : key;
    return {
      key,
      path: childPath,
      ...(node.type !== undefined ? { type: node.type } : {}),
      required: isRequired,
      hasChildren: hasChildren(node),
      reloadKind: reloadKind(childPath),
    };
  };
  const list = Object.entries(asSchema(schema.properties) ?? {})
    .map(([key, node]) => child(key, asSchema(node) ?? {}, required.has(key)));
  const wildcard = asSchema(schema.additionalProperties) ?? itemsOf(schema);
  if (wildcard) list.push(child("*", wildcard, false));
  return list;
}

/** Looks `path` up in `schema`; undefined when the schema has no such node. */
export function lookupConfigSchema(
  schema: Schema,
  path: string,
  reloadKind: (path: string) => ReloadKind = classifyPath,
) {
  const wantsRoot = path.trim() === ".";
  const normalized = normalizeLookupPath(path);
  const parts = normalized ? normalized.split(".").filter(Boolean) : [];
  if ((!wantsRoot && parts.length === 0) || parts.length > MAX_SEGMENTS) return undefined;
  let current: Schema | undefined = schema;
  for (const segment of parts) {
    current = childOf(current, segment);
    if (!current) return undefined;
  }
  return {
    path: wantsRoot ? "." : normalized,
    schema: strip(current),
    // The root has no rule of its own: a change there restarts, as the reference says of it.
    reloadKind: reloadKind(normalized),
    children: children(current, wantsRoot ? "" : normalized, reloadKind),
  };
}

/** `config.schema.lookup` over the schema `schema()` gives (built on first use; default: our config's). */
export function configSchemaLookupMethods(schema: () => Schema = configJsonSchema): MethodTable {
  let built: Schema | undefined;
  return {
    "config.schema.lookup": validated("operator.read", "validateConfigSchemaLookupParams", ({ params }) => {
      built ??= schema();
      const result = lookupConfigSchema(built, params.path);
      if (!result) throw new RpcError("INVALID_REQUEST", "config schema path not found");
      return result;
    }),
  };
}
