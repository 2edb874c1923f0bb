import { z } from "zod";
import { parseDurationMs } from "./duration_text.ts";

/**
 * The `cron` section, as far as it is validated here: `sessionRetention` is a duration string or
 * `false`, and a string that is no duration (a negative one included) is refused with the reference's
 * words. The other keys are read where they are used (cron_settings.ts, cron_delivery_settings.ts).
 */
export const CronConfigSchema = z.looseObject({
  sessionRetention: z.union([z.string(), z.literal(false)]).optional(),
}).superRefine((value, ctx) => {
  const raw = value.sessionRetention;
  if (typeof raw === "string" && parseDurationMs(raw, "h") === undefined) {
    ctx.addIssue({ code: "custom", path: ["sessionRetention"], message: "invalid duration (use ms, s, m, h, d)" });
  }
});
