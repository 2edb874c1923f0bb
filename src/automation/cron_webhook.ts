// Cron webhooks (`delivery.mode: "webhook"`, failure alerts in webhook mode): one JSON POST under
// the strict SSRF guard web_fetch uses (the host, then every address it resolves to, connecting
// only to the addresses checked), `cron.webhookToken` as a bearer token, the reference's 10 s limit.
import { lookup as dnsLookup } from "node:dns/promises";
import type { CronWebhookSsrfPolicy } from "../config/cron_delivery_settings.ts";
import { pinnedFetch } from "../agent/pinned_fetch.ts";
import { checkHost, type LookupFn } from "../agent/web_fetch_guard.ts";

/** The reference's limit on one webhook POST. */
export const CRON_WEBHOOK_TIMEOUT_MS = 10_000;

/** A webhook URL that is not http(s) (the reference's words). */
export const INVALID_WEBHOOK_URL = "cron webhook delivery.to must be a valid http(s) URL";

/** The URL when it is a usable http(s) URL without credentials, else undefined. */
export function webhookUrl(to: string | undefined): URL | undefined {
  if (!to) return undefined;
  try {
    const url = new URL(to.trim());
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
    return url.username || url.password ? undefined : url;
  } catch {
    return undefined;
  }
}

const systemLookup: LookupFn = (hostname) => dnsLookup(hostname, { all: true });

/** POSTs `payload` to `to`; throws with the reason (refused target, HTTP status, timeout). */
export async function postCronWebhook(options: {
  to: string | undefined;
  payload: unknown;
  token?: string | undefined;
  policy: CronWebhookSsrfPolicy;
  signal?: AbortSignal | undefined;
  lookup?: LookupFn | undefined;
}): Promise<void> {
  const url = webhookUrl(options.to);
  if (!url) throw new Error(INVALID_WEBHOOK_URL);
  const deadline = AbortSignal.timeout(CRON_WEBHOOK_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const addresses = await checkHost(url.hostname, options.policy, options.lookup ?? systemLookup);
  const body = JSON.stringify(options.payload);
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "Content-Length": String(new TextEncoder().encode(body).byteLength),
  };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  const response = await pinnedFetch(url, {
    method: "POST",
    body,
    headers,
    signal,
    addresses,
  });
  await response.body?.cancel().catch(() => {});
  if (!response.ok) throw new Error(`Webhook request failed with HTTP ${response.status}`);
}
