// The `delivery` trace of a cron run's history entry against what the reference 2026.9.6 wrote for the same
// announces (tests/fixtures/reference_cron/delivery_trace.json): an explicit chat, `last` after a DM, a send
// Telegram refused, and a chat id it cannot parse. The report each trace is built from comes from the
// gateway's own DeliverReply over a fake send that fails where Telegram failed.
import assert from "node:assert/strict";
import type { CronDelivery } from "../../src/agent/cron_control.ts";
import { refusedTrace, sentTrace, unsentTrace } from "../../src/automation/cron_delivery_trace.ts";
import { createDeliverReply } from "../../src/automation/deliver_reply.ts";

interface RecordedCase {
  job: { channel?: string; to?: string };
  delivery: unknown;
}
const RECORDED = JSON.parse(
  Deno.readTextFileSync(new URL("../fixtures/reference_cron/delivery_trace.json", import.meta.url)),
) as { cases: Record<string, RecordedCase> };

const deliver = createDeliverReply({
  lastRoute: () => Promise.resolve({ channel: "telegram", to: "4242" }),
  send: (request) => {
    if (request.to === "999999") return Promise.reject(new Error("Telegram send failed: chat not found"));
    if (!/^-?\d+$/.test(request.to)) return Promise.reject(new Error("not a Telegram chat id"));
    return Promise.resolve({ channel: request.channel!, to: request.to, accountId: request.accountId ?? "default" });
  },
  defaultAccountOf: () => "default",
});

for (const [name, recorded] of Object.entries(RECORDED.cases)) {
  Deno.test(`cron delivery trace: ${name}, as the reference wrote it`, async () => {
    const delivery = { mode: "announce", ...recorded.job } as CronDelivery;
    const report = await deliver({
      target: { channel: delivery.channel ?? "last", to: delivery.to },
      text: "Hello from the fake model",
      agentId: "main",
      sessionKey: "agent:main:main",
    });
    assert.deepEqual(sentTrace(delivery, report), recorded.delivery);
  });
}

Deno.test("cron delivery trace: a target that does not resolve says why; unsent and refused announces are not the runner's send", async () => {
  const nowhere = createDeliverReply({
    lastRoute: () => Promise.resolve(undefined),
    send: () => Promise.reject(new Error("not reached")),
  });
  const delivery = { mode: "announce" } as CronDelivery;
  const report = await nowhere({
    target: { channel: "last" },
    text: "x",
    agentId: "main",
    sessionKey: "agent:main:main",
  });
  assert.deepEqual(sentTrace(delivery, report), {
    intended: { channel: "last", to: null, source: "last" },
    resolved: {
      ok: false,
      to: null,
      source: "last",
      error: "Channel is required when delivery.channel=last has no previous channel.",
    },
    fallbackUsed: true,
    delivered: false,
  });
  assert.deepEqual(unsentTrace({ mode: "announce", channel: "telegram", to: "7" } as CronDelivery, true), {
    intended: { channel: "telegram", to: "7", source: "explicit" },
    fallbackUsed: false,
    delivered: true,
  });
  assert.deepEqual(refusedTrace(delivery, "no"), {
    intended: { channel: "last", to: null, source: "last" },
    resolved: { ok: false, to: null, source: "last", error: "no" },
    fallbackUsed: false,
    delivered: false,
  });
});
