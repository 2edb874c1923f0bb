import assert from "node:assert/strict";
import type { CronJob } from "../../src/agent/cron_control.ts";
import { applyRunResult, runLogEntry } from "../../src/automation/cron_outcome.ts";
import { CronExpressions } from "../../src/automation/cron_schedule.ts";

function job(state: CronJob["state"] = {}): CronJob {
  return {
    id: "j",
    name: "digest",
    enabled: true,
    createdAtMs: 0,
    updatedAtMs: 0,
    schedule: { kind: "every", everyMs: 60_000 },
    sessionTarget: "isolated",
    wakeMode: "now",
    payload: { kind: "agentTurn", message: "m" },
    delivery: { mode: "announce", channel: "irc", to: "#ops" },
    state,
  } as CronJob;
}

const context = { startedAtMs: 1_000, endedAtMs: 2_000, preserveSchedule: false, expressions: new CronExpressions() };

Deno.test("the runner's failure notice and suppression reason reach the job's state and its run entry", () => {
  const failing = job({ consecutiveErrors: 1 });
  applyRunResult(failing, {
    status: "error",
    error: "boom",
    failureAlertAtMs: 2_000,
    failureNotification: { delivered: true, status: "delivered" },
  }, context);
  assert.equal(failing.state.lastFailureAlertAtMs, 2_000);
  assert.equal(failing.state.lastFailureNotificationDelivered, true);
  assert.equal(failing.state.lastFailureNotificationDeliveryStatus, "delivered");
  // A later failure inside the cooldown sends nothing: the alert time stays.
  applyRunResult(failing, { status: "error", error: "boom" }, context);
  assert.equal(failing.state.lastFailureAlertAtMs, 2_000);
  assert.equal(failing.state.lastFailureNotificationDeliveryStatus, "not-requested");
  // A recovery notice clears it.
  applyRunResult(failing, { status: "ok", deliveryStatus: "delivered", failureAlertAtMs: null }, context);
  assert.equal(failing.state.lastFailureAlertAtMs, undefined);

  const silent = job();
  const silentResult = {
    status: "ok" as const,
    delivered: false,
    deliveryStatus: "not-delivered" as const,
    deliverySuppressionReason: "silent",
  };
  const applied = applyRunResult(silent, silentResult, context);
  assert.equal(silent.state.deliverySuppressionReason, "silent");
  assert.equal(applied.completionStatus, "succeeded", "a deliberately unsent answer completes the run");
  const entry = runLogEntry(silent, silentResult, {
    runId: "r",
    startedAtMs: 1_000,
    completionStatus: applied.completionStatus,
  });
  assert.equal(entry.deliverySuppressionReason, "silent");
});
