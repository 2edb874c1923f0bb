// A tool's input schema as one short TypeScript-like line (`{ url: string; maxChars?: number /* >= 100 */ }`), the
// `input` of a Tool Search result: enough for a model to call the tool without loading its whole schema. Shapes the
// line cannot say faithfully are `unknown` (or `{ ... }`, `; ...` where only a part is left out), so a model asks
// `tool_describe` rather than guessing: the reference 2026.9.6's rendering, its bounds included.
import { isJsonObject } from "../log/json_object.ts";

/** The longest hint; a longer one is `unknown`. */
const MAX_HINT_CHARS = 300;
/** How deep nested objects, arrays and unions are rendered. */
const MAX_DEPTH = 4;
/** Properties rendered of one object (required ones first). */
const MAX_PROPERTIES = 16;
/** A property name longer than this is left out. */
const MAX_NAME_CHARS = 128;
/** Members of a union rendered; a longer union is `unknown`. */
const MAX_UNION_TYPES = 5;
/** Literal values (an `enum`, a union of `const`s) rendered, and their joined length. */
const MAX_LITERALS = 8;
const MAX_LITERAL_CHARS = 96;

/** Keywords whose meaning a one-line hint cannot carry: a schema using one renders, but as incomplete. */
const UNSAID_KEYWORDS = [
  "$ref",
  "$dynamicRef",
  "$recursiveRef",
  "allOf",
  "patternProperties",
  "unevaluatedProperties",
  "dependentSchemas",
  "dependencies",
  "if",
  "then",
  "else",
  "prefixItems",
  "unevaluatedItems",
];

/** Numeric bounds and how they are said. */
const BOUNDS: readonly [string, string][] = [["minimum", ">="], ["maximum", "<="], ["exclusiveMinimum", ">"], [
  "exclusiveMaximum",
  "<",
]];

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/u;

/** A rendered piece, and whether it says everything its schema does. */
interface Hint {
  text: string;
  complete: boolean;
}

const UNKNOWN: Hint = { text: "unknown", complete: false };

function done(text: string): Hint {
  return { text, complete: true };
}

function literal(value: unknown): string | undefined {
  const plain = value === null || typeof value === "string" || typeof value === "boolean" ||
    (typeof value === "number" && Number.isFinite(value));
  return plain ? JSON.stringify(value) : undefined;
}

function literals(values: unknown): Hint | undefined {
  if (!Array.isArray(values) || values.length === 0 || values.length > MAX_LITERALS) return undefined;
  const rendered = values.map(literal);
  if (rendered.some((v) => v === undefined)) return undefined;
  const text = [...new Set(rendered)].join(" | ");
  return text.length <= MAX_LITERAL_CHARS ? done(text) : undefined;
}

function union(schema: Record<string, unknown>, depth: number): Hint | undefined {
  const anyOf = Object.hasOwn(schema, "anyOf");
  const oneOf = Object.hasOwn(schema, "oneOf");
  if (!anyOf && !oneOf) return undefined;
  const variants = anyOf ? schema.anyOf : schema.oneOf;
  if (anyOf && oneOf) return UNKNOWN;
  if (!Array.isArray(variants) || variants.length === 0 || variants.length > MAX_LITERALS) return UNKNOWN;
  const beside = ["const", "enum", "type", "properties", "required", "additionalProperties", "items"];
  if (beside.some((key) => Object.hasOwn(schema, key))) return UNKNOWN;
  const consts = variants.map((v) =>
    isJsonObject(v) && Object.hasOwn(v, "const") && !UNSAID_KEYWORDS.some((k) => Object.hasOwn(v, k)) ? v : undefined
  );
  if (consts.every((v) => v !== undefined)) {
    const joined = literals(consts.map((v) => v.const));
    if (joined) return joined;
  }
  if (variants.length > MAX_UNION_TYPES) return UNKNOWN;
  const rendered = variants.map((v) => typeHint(v, depth + 1));
  if (rendered.some((h) => !h.complete)) return UNKNOWN;
  return done([...new Set(rendered.map((h) => h.text))].join(" | "));
}

/** The first `limit` of `values` in alphabetical order. */
function firstSorted(values: readonly string[], limit: number): string[] {
  return [...values].sort((a, b) => a.localeCompare(b)).slice(0, Math.max(0, limit));
}

function objectHint(schema: Record<string, unknown>, depth: number): Hint {
  const properties = schema.properties;
  const requiredList = Array.isArray(schema.required) ? schema.required : [];
  if (!isJsonObject(properties)) {
    const closed = requiredList.length <= MAX_PROPERTIES && !requiredList.some((v) => typeof v === "string") &&
      schema.additionalProperties === false;
    return closed ? done("{}") : { text: "{ ... }", complete: false };
  }
  const badRequired = requiredList.length <= MAX_PROPERTIES && requiredList.some((v) => typeof v !== "string");
  const required = new Set(
    requiredList.slice(0, MAX_PROPERTIES).filter((v): v is string => typeof v === "string"),
  );
  // Required names first, then the optional ones, each in alphabetical order.
  const requiredNames = [...required];
  const missing = requiredNames.some((key) => key.length > MAX_NAME_CHARS || !Object.hasOwn(properties, key));
  const requiredKeys = firstSorted(
    requiredNames.filter((key) => key.length <= MAX_NAME_CHARS && Object.hasOwn(properties, key)),
    MAX_PROPERTIES,
  );
  const optionalLimit = MAX_PROPERTIES - requiredKeys.length;
  const optionalNames = Object.keys(properties).filter((key) => !required.has(key));
  const optionalCount = optionalNames.length;
  const longName = optionalNames.some((key) => key.length > MAX_NAME_CHARS);
  const optionalKeys = firstSorted(optionalNames.filter((key) => key.length <= MAX_NAME_CHARS), optionalLimit);
  const partial = requiredList.length > MAX_PROPERTIES || badRequired || missing || longName ||
    optionalCount > optionalLimit;
  let omitted = partial || schema.additionalProperties === true || isJsonObject(schema.additionalProperties);
  let complete = !partial && schema.additionalProperties === false;
  let body = "";
  for (const key of [...requiredKeys, ...optionalKeys]) {
    const value = typeHint(properties[key], depth);
    complete &&= value.complete;
    const part = `${IDENTIFIER.test(key) ? key : JSON.stringify(key)}${required.has(key) ? "" : "?"}: ${value.text}`;
    const next = body ? `${body}; ${part}` : part;
    if (next.length + 4 > MAX_HINT_CHARS) {
      omitted = true;
      complete = false;
      break;
    }
    body = next;
  }
  if (!body) {
    return requiredKeys.length + optionalKeys.length === 0 && !omitted
      ? { text: "{}", complete }
      : { text: "{ ... }", complete: false };
  }
  return { text: `{ ${body}${omitted ? "; ..." : ""} }`, complete };
}

/** `nullable: true` (OpenAPI's) said as a union with null; undefined when it cannot be. */
function withoutNullable(schema: Record<string, unknown>): Record<string, unknown> | undefined {
  if (!Object.hasOwn(schema, "nullable")) return schema;
  if (typeof schema.nullable !== "boolean") return undefined;
  const types = typeof schema.type === "string"
    ? [schema.type]
    : Array.isArray(schema.type) && schema.type.every((t) => typeof t === "string")
    ? schema.type as string[]
    : undefined;
  if (!types) return undefined;
  if (!schema.nullable) return schema;
  return { ...schema, nullable: false, type: [...new Set([...types, "null"])] };
}

function typeHint(schema: unknown, depth: number): Hint {
  if (!isJsonObject(schema)) return UNKNOWN;
  if (Object.keys(schema).length === 0) return done("unknown");
  if (depth >= MAX_DEPTH) return UNKNOWN;
  const normalized = withoutNullable(schema);
  if (!normalized) return UNKNOWN;
  if (normalized !== schema) return typeHint(normalized, depth);
  const finish = (hint: Hint): Hint =>
    UNSAID_KEYWORDS.some((key) => Object.hasOwn(schema, key)) ? { ...hint, complete: false } : hint;
  const alternatives = union(schema, depth);
  if (alternatives) return finish(alternatives);
  const constant = literal(schema.const);
  if (constant !== undefined) return finish(done(constant));
  const enumerated = literals(schema.enum);
  if (enumerated) return finish(enumerated);
  const type = schema.type;
  if (Array.isArray(type)) {
    if (type.length === 0 || type.length > MAX_UNION_TYPES || !type.every((t) => typeof t === "string")) {
      return UNKNOWN;
    }
    const rendered = type.map((t) => typeHint({ ...schema, type: t }, depth + 1));
    if (rendered.some((h) => !h.complete)) return UNKNOWN;
    return finish(done([...new Set(rendered.map((h) => h.text))].join(" | ")));
  }
  if (type === "integer" || type === "number") {
    const notes = type === "integer" ? ["integer"] : [];
    for (const [key, operator] of BOUNDS) {
      const bound = schema[key];
      if (bound === undefined) continue;
      if (typeof bound !== "number" || !Number.isFinite(bound)) return UNKNOWN;
      notes.push(`${operator} ${bound}`);
    }
    return finish(done(`number${notes.length > 0 ? ` /* ${notes.join(", ")} */` : ""}`));
  }
  if (type === "array") {
    const items = typeHint(schema.items, depth + 1);
    return finish({ text: `Array<${items.text}>`, complete: items.complete });
  }
  if (type === "object") return finish(objectHint(schema, depth + 1));
  if (type === "string" || type === "boolean" || type === "null") return finish(done(type));
  return UNKNOWN;
}

/** The one-line input hint of a tool's JSON Schema (`unknown` when it would say too little or be too long). */
export function compactInputHint(schema: unknown): string {
  if (!isJsonObject(schema)) return "unknown";
  const hint = schema.type === "object" ? objectHint(schema, 0) : typeHint(schema, 0);
  return hint.text.length <= MAX_HINT_CHARS ? hint.text : "unknown";
}
