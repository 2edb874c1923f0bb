// The JSON Schema of this gateway's config file, as `config.schema` sends it and
// `config.schema.lookup` walks it; built from the zod schema the loader validates with.
import { z } from "zod";
import { RawConfigSchema } from "./schema.ts";

/** The config's JSON Schema (zod types JSON cannot express become open schemas). */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(RawConfigSchema, { unrepresentable: "any" }) as Record<string, unknown>;
}
