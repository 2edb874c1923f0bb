// The scheduler's switches from the `cron` section: `cron.enabled` (default true) and
// `cron.skipMissedJobs` (default false), as the reference reads them; `OPENCLAW_SKIP_CRON=1` in the
// gateway's environment turns the scheduler off too, as in the reference.
import { isJsonObject } from "../log/json_object.ts";
import type { RawConfig } from "./schema.ts";

/** Whether stored jobs run, and whether recurring runs missed while the gateway was down are skipped. */
export interface CronSettings {
  enabled: boolean;
  skipMissedJobs: boolean;
}

/** The `cron` switches of a config (and the environment's `OPENCLAW_SKIP_CRON`). */
export function cronSettings(config: RawConfig, env: Readonly<Record<string, string | undefined>> = {}): CronSettings {
  const section = isJsonObject(config.cron) ? config.cron : {};
  return {
    enabled: env.OPENCLAW_SKIP_CRON !== "1" && section.enabled !== false,
    skipMissedJobs: section.skipMissedJobs === true,
  };
}
