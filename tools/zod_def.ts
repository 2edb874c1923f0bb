// zod v4's schema definitions (`schema._zod.def`) as the config generators read them
// (tools/gen_config_check.ts, tools/gen_config_shape.ts).
import { z } from "zod";

/** Any zod node. */
export type Schema = z.core.$ZodType;
/** A node's definition: its kind, its checks, and kind-specific fields read by name. */
export type Def = Record<string, unknown> & { type: string; checks?: unknown[] };

/** Whether `value` is a zod node. */
export function isSchema(value: unknown): value is Schema {
  return value instanceof z.core.$ZodType;
}

/** The definition of `schema`. */
export function defOf(schema: Schema): Def {
  return schema._zod.def as unknown as Def;
}

/** The child node a definition holds at `key`; throws when there is none. */
export function child(def: Def, key: string): Schema {
  const value = def[key];
  if (!isSchema(value)) throw new Error(`a ${def.type} node has no schema at ${key}`);
  return value;
}
