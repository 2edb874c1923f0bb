// A `superRefine` check that keeps the function it runs, so tools/gen_config_check.ts can find the
// same function (src/config/schema_refinements.ts) and call it from the generated check: zod keeps
// a superRefine's function only inside a closure.
import { z } from "zod";
import type { RefinementSink } from "./schema_refinements.ts";

/** zod's `superRefine(fn)` check, with `fn` readable as `refinement` (`.check(namedRefinement(fn))`). */
export function namedRefinement<T>(
  fn: (value: T, ctx: RefinementSink) => void,
): z.core.$ZodCheck<T> & { refinement: (value: T, ctx: RefinementSink) => void } {
  return Object.assign(z.superRefine(fn), { refinement: fn });
}
