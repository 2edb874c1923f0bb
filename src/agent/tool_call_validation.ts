// A model's tool call checked against the tool's JSON Schema before the tool runs, as the reference's agent loop
// does for every call (its llm-core `validateToolArguments`, measured: tests/fixtures/tool_validation/ref.json). Values
// a model commonly writes in the wrong JSON type are first coerced toward the schema (`"2"` for a number, `42` for a
// string, an array written as JSON text, `null` for a primitive); what still fails is refused with the schema
// validator's own words and the arguments as received, and the tool does not run. The validator is TypeBox's, the
// one the reference compiles, so each problem reads as the model would read it from the reference.
import type { Validator } from "typebox/compile";
import { isJsonObject } from "../log/json_object.ts";

/** TypeBox's compiler and the validators it made, by schema object, for the life of a run engine. */
export interface ToolValidators {
  compile(schema: Record<string, unknown>): Validator;
  kept: WeakMap<object, Validator | "uncompilable">;
}

/** Empty {@link ToolValidators}; TypeBox's compiler is loaded here, with a run's first tool call, off the start path. */
export async function toolValidators(): Promise<ToolValidators> {
  const { Compile } = await import("typebox/compile");
  return { compile: (schema) => Compile(schema as Parameters<typeof Compile>[0]), kept: new WeakMap() };
}

/** The longest JSON text read as an array or object for a field of that type (the reference's bound). */
const MAX_JSON_COERCE_LENGTH = 65_536;

const JSON_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/** The arguments to run the tool with (coerced), or the refusal the model gets instead. */
export type ValidatedArgs = { args: Record<string, unknown> } | { refusal: string };

type Schema = Record<string, unknown>;

function typesOf(schema: Schema): string[] {
  if (typeof schema.type === "string") return [schema.type];
  return Array.isArray(schema.type) ? schema.type.filter((type): type is string => typeof type === "string") : [];
}

function isType(value: unknown, type: string): boolean {
  switch (type) {
    case "number":
      return typeof value === "number";
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "string":
      return typeof value === "string";
    case "null":
      return value === null;
    case "array":
      return Array.isArray(value);
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    default:
      return false;
  }
}

function numberIn(text: string, integer: boolean): number | undefined {
  const trimmed = text.trim();
  if (!trimmed || !JSON_NUMBER.test(trimmed)) return undefined;
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return undefined;
  return integer && !Number.isSafeInteger(value) ? undefined : value;
}

function jsonIn(text: string, wantArray: boolean): unknown {
  if (text.trim() === "" || text.length > MAX_JSON_COERCE_LENGTH) return undefined;
  try {
    const parsed = JSON.parse(text);
    return wantArray ? (Array.isArray(parsed) ? parsed : undefined) : isJsonObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** `value` turned toward one primitive or container type, or `value` itself when no rule applies. */
function towardType(value: unknown, type: string): unknown {
  switch (type) {
    case "number":
    case "integer": {
      if (value === null) return 0;
      if (typeof value === "boolean") return value ? 1 : 0;
      const parsed = typeof value === "string" ? numberIn(value, type === "integer") : undefined;
      return parsed ?? value;
    }
    case "boolean":
      if (value === null) return false;
      if (value === "true" || value === 1) return true;
      if (value === "false" || value === 0) return false;
      return value;
    case "string":
      if (value === null) return "";
      return typeof value === "number" || typeof value === "boolean" ? String(value) : value;
    case "array":
    case "object":
      return typeof value === "string" ? jsonIn(value, type === "array") ?? value : value;
    case "null":
      return value === "" || value === 0 || value === false ? null : value;
    default:
      return value;
  }
}

/** `value` coerced toward `schema` (its unions, its type, then its properties and items, in place). */
function coerce(value: unknown, schema: Schema, validators: ToolValidators): unknown {
  let next = value;
  if (Array.isArray(schema.allOf)) {
    for (const part of schema.allOf) if (isJsonObject(part)) next = coerce(next, part, validators);
  }
  if (Array.isArray(schema.anyOf)) next = coerceUnion(next, schema.anyOf, validators);
  if (Array.isArray(schema.oneOf)) next = coerceUnion(next, schema.oneOf, validators);
  const types = typesOf(schema);
  // A value already of one of several allowed types is left alone; otherwise the first type that changes it wins.
  if (types.length > 0 && !(types.length > 1 && types.some((type) => isType(next, type)))) {
    for (const type of types) {
      if (type === "null" && next !== null && types.length > 1) continue;
      const turned = towardType(next, type);
      if (turned !== next) {
        next = turned;
        break;
      }
    }
  }
  if (types.includes("object") && isType(next, "object")) {
    coerceProperties(next as Record<string, unknown>, schema, validators);
  }
  if (types.includes("array") && Array.isArray(next)) coerceItems(next, schema, validators);
  return next;
}

function coerceProperties(value: Record<string, unknown>, schema: Schema, validators: ToolValidators): void {
  const properties = isJsonObject(schema.properties) ? schema.properties : undefined;
  for (const [key, sub] of Object.entries(properties ?? {})) {
    if (key in value && isJsonObject(sub)) value[key] = coerce(value[key], sub, validators);
  }
  const extra = schema.additionalProperties;
  if (isJsonObject(extra)) {
    for (const [key, item] of Object.entries(value)) {
      if (!properties || !(key in properties)) value[key] = coerce(item, extra, validators);
    }
  }
}

function coerceItems(value: unknown[], schema: Schema, validators: ToolValidators): void {
  const items = schema.items;
  if (Array.isArray(items)) {
    for (let i = 0; i < value.length; i++) {
      if (isJsonObject(items[i])) value[i] = coerce(value[i], items[i], validators);
    }
  } else if (isJsonObject(items)) {
    for (let i = 0; i < value.length; i++) value[i] = coerce(value[i], items, validators);
  }
}

/** The first member `value` can be coerced into (tried on a copy); `null` kept for a member that allows it. */
function coerceUnion(value: unknown, members: unknown[], validators: ToolValidators): unknown {
  const schemas = members.filter(isJsonObject);
  if (value === null) {
    for (const member of schemas) {
      if (!typesOf(member).includes("null")) continue;
      const validator = validatorOf(member, validators);
      if (!validator || validator.Check(value)) return value;
    }
  }
  for (const member of schemas) {
    const types = typesOf(member);
    if (value !== null && types.length === 1 && types[0] === "null") continue;
    const candidate = coerce(structuredClone(value), member, validators);
    if (validatorOf(member, validators)?.Check(candidate)) return candidate;
  }
  return value;
}

/**
 * The compiled validator of `schema`, undefined when TypeBox cannot compile it (a schema an MCP server or an HTTP
 * caller wrote): such a tool's arguments are passed as the model wrote them, and the tool checks them itself.
 */
function validatorOf(schema: Schema, validators: ToolValidators): Validator | undefined {
  const kept = validators.kept.get(schema);
  if (kept) return kept === "uncompilable" ? undefined : kept;
  let compiled: Validator | "uncompilable";
  try {
    compiled = validators.compile(schema);
  } catch {
    compiled = "uncompilable";
  }
  validators.kept.set(schema, compiled);
  return compiled === "uncompilable" ? undefined : compiled;
}

/** Whether converting turned a value that was not null (at any depth) into null. */
function addsNull(before: unknown, after: unknown): boolean {
  if (after === null) return before !== null;
  if (!isJsonObject(before) || !isJsonObject(after)) return false;
  return Object.entries(after).some(([key, value]) => addsNull(before[key], value));
}

/** Where a problem is, as the reference names it: dotted, `root` for the value itself, a missing field by name. */
function problemPath(error: { keyword: string; instancePath: string; params: unknown }): string {
  const base = error.instancePath.replace(/^\//, "").replace(/\//g, ".");
  if (error.keyword === "required") {
    const missing = (error.params as { requiredProperties?: string[] }).requiredProperties?.[0];
    if (missing) return base ? `${base}.${missing}` : missing;
  }
  return base || "root";
}

/**
 * `args` checked against `name`'s `schema`: the arguments to run it with (coerced toward the schema, then converted
 * by the validator when that alone makes them valid), or the reference's refusal naming each problem.
 */
export function validateToolArgs(
  name: string,
  schema: Record<string, unknown>,
  args: Record<string, unknown>,
  validators: ToolValidators,
): ValidatedArgs {
  const validator = validatorOf(schema, validators);
  if (!validator) return { args };
  try {
    return checked(name, schema, args, validator, validators);
  } catch {
    // A validator that fails on a value (a schema keyword it compiled but cannot apply) leaves the check to the tool.
    return { args };
  }
}

function checked(
  name: string,
  schema: Record<string, unknown>,
  args: Record<string, unknown>,
  validator: Validator,
  validators: ToolValidators,
): ValidatedArgs {
  const copy = structuredClone(args);
  const coerced = coerce(copy, schema, validators);
  // Arguments are an object, and coercing an object works in place, so `coerced` is `copy`.
  if (validator.Check(coerced)) return { args: coerced as Record<string, unknown> };
  const converted = validator.Convert(structuredClone(coerced));
  if (!addsNull(coerced, converted) && validator.Check(converted) && isJsonObject(converted)) {
    return { args: converted };
  }
  const problems = validator.Errors(coerced).map((error) => `  - ${problemPath(error)}: ${error.message}`).join("\n");
  return {
    refusal: `Validation failed for tool "${name}":\n${
      problems || "Unknown validation error"
    }\n\nReceived arguments:\n${JSON.stringify(args, null, 2)}`,
  };
}
