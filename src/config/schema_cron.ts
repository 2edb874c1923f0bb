import { z } from "zod";
import { isJsonObject } from "../log/json_object.ts";
import { parseDurationMs } from "./duration_text.ts";

/**
 * The `cron` section, as far as it is validated here: `sessionRetention` is a duration string or
 * `false`, and a string that is no duration (a negative one included) is refused with the reference's
 * words. The section stays typed `unknown`: its other keys are read where they are used
 * (cron_settings.ts, cron_delivery_settings.ts), each tolerating what it does not understand.
 */
export const CronConfigSchema = z.unknown().superRefine((value, ctx) => {
  if (!isJsonObject(value) || value.sessionRetention === undefined || value.sessionRetention === false) return;
  const raw = value.sessionRetention;
  if (typeof raw !== "string") {
    ctx.addIssue({ code: "custom", path: ["sessionRetention"], message: "expected a duration string or false" });
  } else if (parseDurationMs(raw, "h") === undefined) {
    ctx.addIssue({ code: "custom", path: ["sessionRetention"], message: "invalid duration (use ms, s, m, h, d)" });
  }
});
