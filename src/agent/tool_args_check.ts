// Checks a tool call's arguments against the tool's JSON Schema before `tool_call` runs it, naming each problem as
// the reference's schema validator does (`path: must have required property 'path'`, `limit: must be >= 1`,
// `mode: must be equal to one of the allowed values (allowed: "a", "b")`), so a model can mend its call. It covers
// the keywords tool schemas use (type, required, properties, additionalProperties, items, enum, const, bounds,
// lengths, anyOf/oneOf); a keyword it does not know constrains nothing here, and the tool still checks its input.
import { isJsonObject } from "../log/json_object.ts";

/** One problem: where (`<root>`, `edits.0.oldText`), and what. */
export interface ArgsProblem {
  path: string;
  message: string;
  /** The unexpected property, when the problem is one (its nearest known name may be suggested). */
  additionalProperty?: string | undefined;
}

function pathOf(parent: string, segment: string | number): string {
  return parent === "<root>" ? String(segment) : `${parent}.${segment}`;
}

function typeMatches(type: string, value: unknown): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "null":
      return value === null;
    case "array":
      return Array.isArray(value);
    case "object":
      return isJsonObject(value);
    default:
      return true;
  }
}

function allowed(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(", ");
}

const BOUND_CHECKS: readonly [string, string, (value: number, bound: number) => boolean][] = [
  ["minimum", ">=", (v, b) => v >= b],
  ["maximum", "<=", (v, b) => v <= b],
  ["exclusiveMinimum", ">", (v, b) => v > b],
  ["exclusiveMaximum", "<", (v, b) => v < b],
];

function check(schema: unknown, value: unknown, path: string, out: ArgsProblem[]): void {
  if (!isJsonObject(schema)) return;
  const variants = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
  if (variants && !variants.some((variant) => problemsOf(variant, value, path).length === 0)) {
    out.push({ path, message: "must match a schema in anyOf" });
    return;
  }
  const types = typeof schema.type === "string" ? [schema.type] : Array.isArray(schema.type) ? schema.type : [];
  if (types.length > 0 && !types.some((type) => typeMatches(String(type), value))) {
    out.push({ path, message: `must be ${types.join(",")}` });
    return;
  }
  if (Object.hasOwn(schema, "const") && JSON.stringify(schema.const) !== JSON.stringify(value)) {
    out.push({ path, message: `must be equal to constant (allowed: ${allowed([schema.const])})` });
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((v) => JSON.stringify(v) === JSON.stringify(value))) {
    out.push({ path, message: `must be equal to one of the allowed values (allowed: ${allowed(schema.enum)})` });
  }
  if (typeof value === "number") {
    for (const [key, operator, holds] of BOUND_CHECKS) {
      const bound = schema[key];
      if (typeof bound === "number" && !holds(value, bound)) {
        out.push({ path, message: `must be ${operator} ${bound}` });
      }
    }
  }
  if (typeof value === "string") {
    const length = [...value].length;
    if (typeof schema.minLength === "number" && length < schema.minLength) {
      out.push({ path, message: `must NOT have fewer than ${schema.minLength} characters` });
    }
    if (typeof schema.maxLength === "number" && length > schema.maxLength) {
      out.push({ path, message: `must NOT have more than ${schema.maxLength} characters` });
    }
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems) {
      out.push({ path, message: `must NOT have fewer than ${schema.minItems} items` });
    }
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems) {
      out.push({ path, message: `must NOT have more than ${schema.maxItems} items` });
    }
    for (const [i, item] of value.entries()) check(schema.items, item, pathOf(path, i), out);
  }
  if (isJsonObject(value)) {
    for (const key of Array.isArray(schema.required) ? schema.required : []) {
      if (typeof key === "string" && !Object.hasOwn(value, key)) {
        out.push({ path: pathOf(path, key), message: `must have required property '${key}'` });
      }
    }
    const properties = isJsonObject(schema.properties) ? schema.properties : {};
    for (const [key, inner] of Object.entries(value)) {
      if (Object.hasOwn(properties, key)) check(properties[key], inner, pathOf(path, key), out);
      else if (schema.additionalProperties === false) {
        out.push({
          path,
          message: `must not have additional properties: "${key}"`,
          additionalProperty: key,
        });
      } else if (isJsonObject(schema.additionalProperties)) {
        check(schema.additionalProperties, inner, pathOf(path, key), out);
      }
    }
  }
}

/** The problems of `value` against `schema`, in schema order; none when it fits. */
export function problemsOf(schema: unknown, value: unknown, path = "<root>"): ArgsProblem[] {
  const out: ArgsProblem[] = [];
  check(schema, value, path, out);
  return out;
}
