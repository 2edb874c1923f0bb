// Cron failure alerts as the reference documents them (automation/cron-jobs/delivery.md, "Failure
// notifications"): which route an alert takes (per-job `failureAlert`, `delivery.failureDestination`
// over `cron.failureAlert`, then the job's announce target), when one is due (after N consecutive
// failures, not again within the cooldown), and the recovery notice once a run succeeds again.
import type { CronJob } from "../agent/cron_control.ts";
import type { CronFailureAlertConfig } from "../config/cron_delivery_settings.ts";

/** The reference's defaults: alert after 2 consecutive failures, at most once an hour. */
export const DEFAULT_FAILURE_ALERT_AFTER = 2;
export const DEFAULT_FAILURE_ALERT_COOLDOWN_MS = 3_600_000;
/** The chat detail line when no error cause is classified (the reference keeps raw errors out of chats). */
const GENERIC_FAILURE_DETAIL = "Check automation history for details.";

/** Where and when alerts go for one job. */
export interface FailureAlertPolicy {
  mode: "announce" | "webhook";
  /** A channel id or `last`. */
  channel: string;
  to?: string | undefined;
  accountId?: string | undefined;
  after: number;
  cooldownMs: number;
  includeSkipped: boolean;
}

/** A notice to send: its text and, for webhooks, the reference's alert body. */
export interface FailureNotice {
  kind: "alert" | "recovery";
  text: string;
}

type Route = {
  mode?: "announce" | "webhook" | undefined;
  channel?: string | undefined;
  to?: string | undefined;
  accountId?: string | undefined;
};

function positiveInt(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && Math.floor(value) >= 1 ? Math.floor(value) : fallback;
}

function nonNegativeInt(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && Math.floor(value) >= 0 ? Math.floor(value) : fallback;
}

function routeOf(fields: Route | undefined): Route | undefined {
  if (!fields) return undefined;
  const has = fields.channel !== undefined || fields.to !== undefined || fields.accountId !== undefined ||
    fields.mode !== undefined;
  return has ? fields : undefined;
}

/** The job's alert policy, or null when it gets no alerts (the reference's resolveFailureAlert). */
export function resolveFailureAlert(
  job: CronJob,
  global: CronFailureAlertConfig | undefined,
): FailureAlertPolicy | null {
  if (job.failureAlert === false) return null;
  const own = job.failureAlert === undefined ? undefined : job.failureAlert;
  if (!own && global?.enabled === false) return null;
  const ownRoute = routeOf(own);
  const destination = job.delivery?.failureDestination;
  const globalRoute = routeOf(global && { mode: global.mode, channel: global.channel, to: global.to });
  const alternate: Route | undefined = ownRoute ??
    (destination ? { ...globalRoute, ...destination } : globalRoute);
  const primary: Route | undefined = job.delivery?.mode === "announce"
    ? { mode: "announce", channel: job.delivery.channel ?? "last", to: job.delivery.to }
    : undefined;
  const explicit = own !== undefined || global !== undefined;
  if (!alternate && !primary && !explicit) return null;
  const route = alternate ?? primary;
  const mode = (route?.mode ?? own?.mode ?? global?.mode) === "webhook" ? "webhook" : "announce";
  const channel = route?.channel ?? "last";
  const onPrimary = primary !== undefined && !alternate;
  return {
    mode,
    channel,
    to: route?.to ?? (onPrimary ? primary?.to : undefined),
    accountId: route?.accountId ?? own?.accountId ?? global?.accountId ??
      (onPrimary ? job.delivery?.accountId : undefined),
    after: positiveInt(own?.after ?? global?.after, DEFAULT_FAILURE_ALERT_AFTER),
    cooldownMs: nonNegativeInt(own?.cooldownMs ?? global?.cooldownMs, DEFAULT_FAILURE_ALERT_COOLDOWN_MS),
    includeSkipped: own?.includeSkipped ?? global?.includeSkipped ?? false,
  };
}

/**
 * The notice this run's outcome calls for, given the job's state before it: an alert once the
 * consecutive failures reach `after` (outside the cooldown; `bestEffort` delivery silences inherited
 * alerts), a recovery notice when a run succeeds after an alert, else none.
 */
export function failureNotice(
  job: CronJob,
  outcome: { status: "ok" | "error" | "skipped"; error?: string | undefined },
  policy: FailureAlertPolicy | null,
  now: number,
): FailureNotice | undefined {
  if (!policy) return undefined;
  const name = job.name || job.id;
  if (outcome.status === "ok") {
    if (job.state.lastFailureAlertAtMs === undefined) return undefined;
    return { kind: "recovery", text: `Automation "${name}" recovered\nThe latest run completed successfully.` };
  }
  if (outcome.status === "skipped" && !policy.includeSkipped) return undefined;
  const count = outcome.status === "error"
    ? (job.state.consecutiveErrors ?? 0) + 1
    : (job.state.consecutiveSkipped ?? 0) + 1;
  if (count < policy.after) return undefined;
  if (job.delivery?.bestEffort === true && !job.failureAlert) return undefined;
  const last = job.state.lastFailureAlertAtMs;
  if (last !== undefined && last <= now && now - last < policy.cooldownMs) return undefined;
  const verb = outcome.status === "skipped" ? "skipped" : "failed";
  const label = outcome.status === "skipped" ? "Skip reason" : "Last error";
  const detail = policy.mode === "webhook"
    ? `${label}: ${(outcome.error?.trim() || "unknown reason").slice(0, 200)}`
    : GENERIC_FAILURE_DETAIL;
  return { kind: "alert", text: `Automation "${name}" ${verb} ${count} times\n${detail}` };
}
