// The shape table of src/config/raw_config_check_gen.ts (written by tools/gen_config_check.ts): what
// src/config/sensitive.ts walks to find secrets without zod. It is what that walk read of the zod schema
// (its SENSITIVE marks, objects, records, arrays, unions), as plain data, and the marked key names.
import { z } from "zod";
import { child, defOf, isSchema, type Schema } from "./zod_def.ts";

// Nodes: "s": a secret; "n": credentials by key name below; "-": nothing; {o, c}: an object's fields
// and the node for its other keys; {r}: a record's values; {a}: an array's items; {u}: a union's options.
type Shape = string | { o: Record<string, string>; c: string } | { r: string } | { a: string } | { u: string[] };

function isMarked(schema: Schema): boolean {
  return z.globalRegistry.get(schema)?.sensitive === true;
}

/** Emits the shape table, one constant per distinct node. */
class ShapeEmitter {
  #names = new Map<Schema, string>();
  #byText = new Map<string, string>();
  #lines: string[] = [];

  /** The name of `schema`'s shape node ("n" for none: key names decide). */
  node(schema: Schema | undefined): string {
    if (schema === undefined) return '"n"';
    const known = this.#names.get(schema);
    if (known) return known;
    const shape = this.#shape(schema);
    if (typeof shape === "string") return JSON.stringify(shape);
    // A wrapper (optional, a preprocess) walks to its one inner node: it is that node.
    if ("u" in shape && shape.u.length === 1) return shape.u[0]!;
    const text = "o" in shape
      ? `{ o: { ${Object.entries(shape.o).map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(", ")} }, c: ${shape.c} }`
      : "r" in shape
      ? `{ r: ${shape.r} }`
      : "a" in shape
      ? `{ a: ${shape.a} }`
      : `{ u: [${shape.u.join(", ")}] }`;
    const name = this.#byText.get(text) ?? `S${this.#byText.size}`;
    if (!this.#byText.has(text)) {
      this.#byText.set(text, name);
      this.#lines.push(`const ${name}: ShapeNode = ${text};`);
    }
    this.#names.set(schema, name);
    return name;
  }

  text(): string {
    return this.#lines.join("\n");
  }

  #shape(schema: Schema): Shape {
    if (isMarked(schema)) return "s";
    const def = defOf(schema);
    switch (def.type) {
      case "optional":
      case "nullable":
      case "default":
      case "prefault":
      case "readonly":
      case "catch":
      case "nonoptional":
        return { u: [this.node(child(def, "innerType"))] };
      case "pipe": {
        const input = child(def, "in");
        return { u: [this.node(defOf(input).type === "transform" ? child(def, "out") : input)] };
      }
      case "object": {
        const shape = def.shape as Record<string, Schema>;
        const fields = Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, this.node(v)]));
        return { o: fields, c: this.node(isSchema(def.catchall) ? def.catchall : undefined) };
      }
      case "record":
        return { r: this.node(child(def, "valueType")) };
      case "array":
        return { a: this.node(child(def, "element")) };
      case "union":
        return { u: (def.options as Schema[]).map((option) => this.node(option)) };
      case "unknown":
      case "any":
      case "never":
        return "n";
      case "lazy":
      case "intersection":
        throw new Error(`a ${def.type} node: teach the shape table what the walk does with it`);
      default:
        return "-";
    }
  }
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
  const inner = def.innerType ?? def.in;
  markedNames(isSchema(inner) ? inner : undefined, into, seen, key);
  // Record keys and array items have no name of their own (headers: any header name).
  const items = def.element ?? def.valueType;
  markedNames(isSchema(items) ? items : undefined, into, seen);
  for (const [name, field] of Object.entries((def.shape ?? {}) as Record<string, Schema>)) {
    markedNames(field, into, seen, name);
  }
  for (const option of (def.options ?? []) as Schema[]) markedNames(option, into, seen, key);
}

/** The generated lines of the shape table for `root`: its nodes, `CONFIG_SHAPE` and `SENSITIVE_KEY_NAMES`. */
export function configShapeLines(root: Schema): string[] {
  const shapes = new ShapeEmitter();
  const shapeRoot = shapes.node(root);
  const names = new Set<string>();
  markedNames(root, names, new Set());
  return [
    "/** A node of the schema's shape for src/config/sensitive.ts: see tools/gen_config_shape.ts. */",
    "export type ShapeNode = string | { o: Record<string, ShapeNode>; c: ShapeNode } | { r: ShapeNode } | { a: ShapeNode } | { u: ShapeNode[] };",
    shapes.text(),
    "/** The raw config's shape, with the fields the schema marks SENSITIVE. */",
    `export const CONFIG_SHAPE: ShapeNode = ${shapeRoot};`,
    "",
    "/** The key names of every field the schema marks SENSITIVE. */",
    `export const SENSITIVE_KEY_NAMES: readonly string[] = ${JSON.stringify([...names])};`,
  ];
}
