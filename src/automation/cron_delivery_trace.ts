// The delivery trace a cron run's history entry carries (`delivery`), as the reference 2026.9.6 writes it
// for an announce (recorded: tests/fixtures/reference_cron/delivery_trace.json):
// where the job meant to send (`intended`), where that resolved (`resolved`: `ok` says the target resolved,
// not that the send worked), whether the runner sent it itself (`fallbackUsed`: the model's message tool
// did not), and whether it arrived.
import type { CronDelivery, CronRunLogEntry } from "../agent/cron_control.ts";
import type { DeliveryReport } from "./delivery.ts";

/** The `delivery` of a run-history entry. */
export type CronDeliveryTrace = NonNullable<CronRunLogEntry["delivery"]>;

type Source = "explicit" | "last";

/** Where the job asked to send: `last` (no channel, or `last`) or an explicit channel and chat. */
function intendedOf(delivery: CronDelivery): { trace: CronDeliveryTrace["intended"]; source: Source } {
  const channel = delivery.channel ?? "last";
  const source: Source = channel === "last" ? "last" : "explicit";
  return {
    source,
    trace: {
      channel,
      to: delivery.to ?? null,
      ...(delivery.accountId ? { accountId: delivery.accountId } : {}),
      ...(delivery.threadId !== undefined ? { threadId: delivery.threadId } : {}),
      source,
    },
  };
}

/**
 * The trace of an announce the runner sent itself (`report`: how the send went). A target that resolved is
 * `ok` even when the send then failed; one that did not (no chat on record for `last`) says why.
 */
export function sentTrace(delivery: CronDelivery, report: DeliveryReport): CronDeliveryTrace {
  const { trace: intended, source } = intendedOf(delivery);
  const target = {
    ...(report.channel ? { channel: report.channel } : {}),
    to: report.to ?? null,
    ...(report.accountId ? { accountId: report.accountId } : {}),
    ...(delivery.threadId !== undefined ? { threadId: delivery.threadId } : {}),
    source,
  };
  const resolved = report.channel && report.to
    ? { ok: true, ...target }
    : { ok: false, ...target, error: report.error ?? "delivery target not resolved" };
  return { intended, resolved, fallbackUsed: true, delivered: report.status === "delivered" };
}

/** The trace of an announce refused before any send (the shared main session's last chat is not inherited). */
export function refusedTrace(delivery: CronDelivery, error: string): CronDeliveryTrace {
  const { trace: intended, source } = intendedOf(delivery);
  return { intended, resolved: { ok: false, to: null, source, error }, fallbackUsed: false, delivered: false };
}

/** The trace of an announce the runner did not send: the model's message tool did, or there was nothing to send. */
export function unsentTrace(delivery: CronDelivery, delivered: boolean): CronDeliveryTrace {
  return { intended: intendedOf(delivery).trace, fallbackUsed: false, delivered };
}
