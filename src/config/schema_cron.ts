import { z } from "zod";
import { refineCron } from "./schema_refinements.ts";
import { namedRefinement } from "./schema_refinement_check.ts";

/**
 * The `cron` section, as far as it is validated here: `sessionRetention` is a duration string or
 * `false`, and a string that is no duration (a negative one included) is refused with the reference's
 * words. The section stays typed `unknown`: its other keys are read where they are used
 * (cron_settings.ts, cron_delivery_settings.ts), each tolerating what it does not understand.
 */
export const CronConfigSchema = z.unknown().check(namedRefinement(refineCron));
