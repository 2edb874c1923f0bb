// What cron delivery reads of the `cron` block (gateway/config-automation.md): the webhook bearer
// token, the webhooks' SSRF policy and the global failure-alert policy. The scheduler's own keys
// (`cron.enabled`, `cron.skipMissedJobs`) are read where the scheduler is built.
import { isJsonObject, objectOrEmpty } from "../log/json_object.ts";
import type { RawConfig } from "./schema.ts";

/** `cron.webhookSsrfPolicy`: which private or internal webhook targets are reachable anyway. */
export interface CronWebhookSsrfPolicy {
  dangerouslyAllowPrivateNetwork: boolean;
  allowedHostnames: string[];
  blockedHostnames: string[];
  allowRfc2544BenchmarkRange: boolean;
  allowIpv6UniqueLocalRange: boolean;
}

/** `cron.failureAlert` as written (only the keys the reference accepts, with their types). */
export interface CronFailureAlertConfig {
  enabled?: boolean | undefined;
  after?: number | undefined;
  cooldownMs?: number | undefined;
  includeSkipped?: boolean | undefined;
  mode?: "announce" | "webhook" | undefined;
  channel?: string | undefined;
  to?: string | undefined;
  accountId?: string | undefined;
}

/** The `cron` keys delivery uses. */
export interface CronDeliverySettings {
  /** `cron.webhookToken`: sent as `Authorization: Bearer <token>`; absent: no auth header. */
  webhookToken?: string | undefined;
  webhookSsrfPolicy: CronWebhookSsrfPolicy;
  /** `cron.failureAlert`; absent when the block is not written. */
  failureAlert?: CronFailureAlertConfig | undefined;
  /** `agents.defaults.userTimezone`: the zone chat alerts give the run's start in; absent: the host's. */
  userTimezone?: string | undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === "string") : [];
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() ? value.trim() : undefined;
}

function finite(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function bool(value: unknown): boolean | undefined {
  return typeof value === "boolean" ? value : undefined;
}

/** Reads the delivery keys of the `cron` block; missing keys take the reference's defaults (strict SSRF). */
export function cronDeliverySettings(config: RawConfig): CronDeliverySettings {
  const cron = objectOrEmpty(config.cron);
  const ssrf = objectOrEmpty(cron.webhookSsrfPolicy);
  const alert = isJsonObject(cron.failureAlert) ? cron.failureAlert : undefined;
  const mode = alert?.mode === "webhook" || alert?.mode === "announce" ? alert.mode : undefined;
  return {
    webhookToken: text(cron.webhookToken),
    webhookSsrfPolicy: {
      dangerouslyAllowPrivateNetwork: ssrf.dangerouslyAllowPrivateNetwork === true,
      allowedHostnames: strings(ssrf.allowedHostnames),
      blockedHostnames: strings(ssrf.blockedHostnames),
      allowRfc2544BenchmarkRange: ssrf.allowRfc2544BenchmarkRange === true,
      allowIpv6UniqueLocalRange: ssrf.allowIpv6UniqueLocalRange === true,
    },
    failureAlert: alert
      ? {
        enabled: bool(alert.enabled),
        after: finite(alert.after),
        cooldownMs: finite(alert.cooldownMs),
        includeSkipped: bool(alert.includeSkipped),
        mode,
        channel: text(alert.channel),
        to: text(alert.to),
        accountId: text(alert.accountId),
      }
      : undefined,
    userTimezone: text(objectOrEmpty(objectOrEmpty(config.agents).defaults).userTimezone),
  };
}
