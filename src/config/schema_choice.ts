// A config value that must be one of a few words, declared the way the reference's schema declares it,
// because zod words a refusal by the node's kind: a union of literals says `Invalid input` (and the
// loader adds `(allowed: …)`), an enum says `Invalid option: expected one of …`. The reference uses
// unions for its choices (only `session.dmScope`/`groupScope` are enums), so ours do too.
import { z } from "zod";

/** A choice of fixed words as a union of literals, in the reference's order. */
export function choice<const T extends readonly [string, ...string[]]>(
  values: T,
): z.ZodUnion<{ [K in keyof T]: z.ZodLiteral<T[K]> }> {
  return z.union(values.map((value) => z.literal(value)) as { [K in keyof T]: z.ZodLiteral<T[K]> });
}
