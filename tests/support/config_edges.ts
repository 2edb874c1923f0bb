// Configs that each set ONE leaf of the zod config schema to one of its edge values (every bound
// of a number and one past it, each enum value, the strings a format, prefix, pattern or trim()
// turns on), with every other optional key absent and the required ones valid. A random whole
// config is rarely valid everywhere else, so a leaf deep in the tree (a channel's
// `messagesPerSecond`, a hook's `forEach`) was judged on an accepted config only by luck; here each
// edge is (tests/config/raw_config_check_test.ts: a bound made exclusive must be caught wherever it
// sits).
import { z } from "zod";
import type { ConfigFuzz } from "./config_fuzz.ts";

type Schema = z.core.$ZodType;
type Def = Record<string, unknown> & { type: string; checks?: { _zod: { def: Record<string, unknown> } }[] };

const STRING_EDGES = ["", " ", "a", " a ", "/a", "1.2.3.4", "1.2.3", "a.b", "http://example.com", "nope", "${T}"];

function defOf(schema: Schema): Def {
  return schema._zod.def as unknown as Def;
}

/** The values worth trying at a leaf: its edges, and one of the wrong type. */
function leafEdges(def: Def): unknown[] {
  switch (def.type) {
    case "number": {
      const out: unknown[] = [0, -0, 1, 1.5, -1, 2 ** 53, 2 ** 53 - 1, "1"];
      for (const check of def.checks ?? []) {
        const value = check._zod.def.value;
        if (typeof value === "number") out.push(value - 1, value - 0.5, value, value + 0.5, value + 1);
      }
      return out;
    }
    case "string": {
      const out: unknown[] = [...STRING_EDGES, 1];
      if (def.format === "url") out.push(" https://e.com/x\t", "https://a\nb.c");
      for (const check of def.checks ?? []) {
        const prefix = check._zod.def.prefix;
        if (typeof prefix === "string") out.push(prefix, `${prefix}x`, ` ${prefix}x`);
      }
      return out;
    }
    case "boolean":
      return [true, false, "true"];
    case "enum":
      return [...Object.values(def.entries as object), "bogus"];
    case "literal":
      return [...(def.values as unknown[]), "bogus"];
    default:
      return [];
  }
}

/** A value `schema` accepts, drawn by the fuzz and judged by zod (undefined when none turns up). */
function validValue(schema: Schema, fuzz: ConfigFuzz): unknown {
  for (let i = 0; i < 200; i++) {
    // Drawn as if deep in the tree: few optional keys, empty lists.
    const value = fuzz.value(schema, 7);
    if (z.safeParse(schema, value).success) return value;
  }
  return undefined;
}

/** Every edge config of `root` (see the file's head), wrapped by `wrap` at each level on the way down. */
export function edgeConfigs(root: Schema, fuzz: ConfigFuzz): unknown[] {
  const out: unknown[] = [];
  const walk = (schema: Schema, wrap: (value: unknown) => unknown, seen: Set<Schema>): void => {
    if (seen.has(schema)) return;
    const inner = new Set(seen).add(schema);
    const def = defOf(schema);
    switch (def.type) {
      case "optional":
        return walk(def.innerType as Schema, wrap, inner);
      case "pipe":
        return walk(def.out as Schema, wrap, inner);
      case "union":
        for (const option of def.options as Schema[]) walk(option, wrap, inner);
        return;
      case "array":
        return walk(def.element as Schema, (value) => wrap([value]), inner);
      case "record":
        return walk(def.valueType as Schema, (value) => wrap({ a: value }), inner);
      case "object": {
        const shape = def.shape as Record<string, Schema>;
        const required: Record<string, unknown> = {};
        for (const [key, field] of Object.entries(shape)) {
          if (field._zod.optin !== "optional") required[key] = validValue(field, fuzz);
        }
        for (const [key, field] of Object.entries(shape)) {
          walk(field, (value) => wrap({ ...required, [key]: value }), inner);
        }
        return;
      }
      default:
        for (const value of leafEdges(def)) out.push(wrap(value));
    }
  };
  walk(root, (value) => value, new Set());
  return out;
}
