// What happens to a finished run's answer (automation/cron-jobs/delivery.md): `announce` sends it to
// a chat (or `last`) unless the agent already sent it or it is silent/empty; `webhook` POSTs the
// finished event; `none` does nothing. A delivery failure never fails the run (the run stays `ok`
// and records `not-delivered` with the reason). Then the failure alert or recovery notice, if due.
import type { CronJob } from "../agent/cron_control.ts";
import type { CronRunResult } from "./cron_runner.ts";
import type { CronJobRunnerDeps, Ran } from "./cron_job_runner.ts";
import { failureNotice, resolveFailureAlert, runStartedLine } from "./cron_failure_alert.ts";
import { postCronWebhook } from "./cron_webhook.ts";
import { refusedTrace, sentTrace, unsentTrace } from "./cron_delivery_trace.ts";

/** Where the run happened, for delivery. */
export interface RunPlace {
  agentId: string;
  /** The session whose last route `last` means. */
  routeKey: string;
  /** `routeKey` is the job's own session (else the agent's shared main session: `last` is refused). */
  ownSession: boolean;
  startedAt: number;
  now: number;
  signal: AbortSignal;
}

/** The reference's refusal to announce to the agent-main session's last chat (measured on 2026.9.6). */
export const REFUSE_SHARED_MAIN_TARGET = "Refusing implicit isolated cron delivery: the target would be inherited " +
  "from the shared agent-main session bucket's last recipient, which is ambiguous across conversations and can " +
  "deliver to the wrong room (and replay there after a restart). Set delivery.channel and delivery.to explicitly, " +
  "or run the cron from a session that carries its own delivery context.";

type DeliveryFields = Pick<
  CronRunResult,
  "delivered" | "deliveryStatus" | "deliveryError" | "deliverySuppressionReason" | "delivery"
>;

/** The reference's silent reply: an answer that is only `NO_REPLY` is not sent. */
function isSilent(text: string): boolean {
  return /^\s*NO_REPLY\s*$/i.test(text);
}

/**
 * The finished event a webhook receives, key for key as the reference 2026.9.6 posts it (measured):
 * the job as the run started, times, outcome, the delivery that this POST is, session and model.
 * An error's carries no summary and its job no diagnostics.
 */
export function finishedEvent(job: CronJob, result: CronRunResult, place: RunPlace): Record<string, unknown> {
  const state = { ...job.state };
  if (result.status === "error") {
    delete state.lastDiagnostics;
    delete state.lastDiagnosticSummary;
  }
  const event: Record<string, unknown> = {
    jobId: job.id,
    action: "finished",
    job: { ...job, state },
    runAtMs: place.startedAt,
    durationMs: Math.max(0, place.now - place.startedAt),
    status: result.status,
  };
  if (result.error) event.error = result.error;
  if (result.summary && result.status !== "error") event.summary = result.summary;
  const to = job.delivery?.to;
  Object.assign(event, {
    delivered: true,
    deliveryStatus: "delivered",
    delivery: { intended: { to, source: "explicit" }, delivered: true, resolved: { to, source: "explicit", ok: true } },
  });
  if (result.sessionId) event.sessionId = result.sessionId;
  if (result.sessionKey) event.sessionKey = result.sessionKey;
  if (result.model) event.model = result.model;
  if (result.provider) event.provider = result.provider;
  if (result.usage?.total_tokens) event.usage = result.usage;
  return event;
}

/** Delivers the run's answer as the job's `delivery` asks; the fields to merge into the result. */
export async function deliverRunResult(
  deps: CronJobRunnerDeps,
  job: CronJob,
  ran: Ran,
  place: RunPlace,
): Promise<DeliveryFields> {
  const delivery = job.delivery;
  const { result } = ran;
  if (!delivery || delivery.mode === "none") return { deliveryStatus: "not-requested" };
  if (delivery.mode === "webhook") {
    // A successful run with nothing to say posts nothing, as announce sends nothing.
    if (result.status !== "error" && !result.summary?.trim()) {
      return { delivered: false, deliveryStatus: "not-delivered", deliverySuppressionReason: "empty" };
    }
    const settings = deps.settings();
    try {
      await (deps.postWebhook ?? postCronWebhook)({
        to: delivery.to,
        payload: finishedEvent(job, result, place),
        token: settings.webhookToken,
        policy: settings.webhookSsrfPolicy,
        signal: place.signal,
      });
      return { delivered: true, deliveryStatus: "delivered" };
    } catch (error) {
      return { delivered: false, deliveryStatus: "not-delivered", deliveryError: messageOf(error) };
    }
  }
  // announce: main-session jobs answer through their session's own route, never here.
  if (job.payload.kind !== "agentTurn" || result.status !== "ok") return { deliveryStatus: "not-requested" };
  if (ran.sentByTool) return { delivered: true, deliveryStatus: "delivered", delivery: unsentTrace(delivery, true) };
  const text = ran.answer ?? "";
  if (!text.trim() || isSilent(text)) {
    const reason = text.trim() ? "silent" : "empty";
    return {
      delivered: false,
      deliveryStatus: "not-delivered",
      deliverySuppressionReason: reason,
      delivery: unsentTrace(delivery, false),
    };
  }
  const channel = delivery.channel ?? "last";
  if (await inheritsSharedMain(deps, place, channel, delivery.to)) {
    return {
      delivered: false,
      deliveryStatus: "not-delivered",
      deliveryError: REFUSE_SHARED_MAIN_TARGET,
      delivery: refusedTrace(delivery, REFUSE_SHARED_MAIN_TARGET),
    };
  }
  const report = await deps.deliver({
    target: {
      channel,
      to: delivery.to,
      accountId: delivery.accountId,
      threadId: delivery.threadId,
    },
    text,
    agentId: place.agentId,
    sessionKey: place.routeKey,
  });
  const trace = sentTrace(delivery, report);
  return report.status === "delivered"
    ? { delivered: true, deliveryStatus: "delivered", delivery: trace }
    : { delivered: false, deliveryStatus: "not-delivered", deliveryError: report.error, delivery: trace };
}

/**
 * The reference refuses to inherit the shared main session's last recipient for a job without a
 * session of its own: that chat may be anyone's (delivery.md, "Refusing implicit ..."). Announces
 * and failure alerts alike.
 */
async function inheritsSharedMain(
  deps: CronJobRunnerDeps,
  place: RunPlace,
  channel: string,
  to: string | undefined,
): Promise<boolean> {
  if (place.ownSession || to?.trim()) return false;
  const last = await deps.lastRoute(place.routeKey, place.agentId);
  return last !== undefined && (channel === "last" || channel === last.channel);
}

/** Sends the failure alert or recovery notice this outcome calls for; the fields to merge into the result. */
export async function notifyFailure(
  deps: CronJobRunnerDeps,
  job: CronJob,
  result: CronRunResult,
  place: RunPlace,
): Promise<Pick<CronRunResult, "failureAlertAtMs" | "failureNotification">> {
  const policy = resolveFailureAlert(job, deps.settings().failureAlert);
  const notice = failureNotice(job, result, policy, place.now);
  if (!notice || !policy) return {};
  const at = notice.kind === "alert" ? place.now : null;
  try {
    if (policy.mode === "webhook") {
      const settings = deps.settings();
      await (deps.postWebhook ?? postCronWebhook)({
        to: policy.to,
        payload: { jobId: job.id, jobName: job.name, message: notice.text, runAtMs: place.startedAt },
        token: settings.webhookToken,
        policy: settings.webhookSsrfPolicy,
        signal: place.signal,
      });
    } else if (await inheritsSharedMain(deps, place, policy.channel, policy.to)) {
      return {
        failureAlertAtMs: at,
        failureNotification: { delivered: false, status: "not-delivered", error: REFUSE_SHARED_MAIN_TARGET },
      };
    } else {
      // Chat notices say when the run started, in the user's zone (webhook text stays stable).
      const started = runStartedLine(place.startedAt, deps.settings().userTimezone);
      const report = await deps.deliver({
        target: { channel: policy.channel, to: policy.to, accountId: policy.accountId },
        text: started ? `${notice.text}\n${started}` : notice.text,
        agentId: place.agentId,
        sessionKey: place.routeKey,
      });
      if (report.status !== "delivered") {
        return {
          failureAlertAtMs: at,
          failureNotification: { delivered: false, status: "not-delivered", error: report.error ?? "not delivered" },
        };
      }
    }
    return { failureAlertAtMs: at, failureNotification: { delivered: true, status: "delivered" } };
  } catch (error) {
    return {
      failureAlertAtMs: at,
      failureNotification: { delivered: false, status: "not-delivered", error: messageOf(error) },
    };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
