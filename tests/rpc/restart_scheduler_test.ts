import assert from "node:assert/strict";
import { RestartScheduler } from "../../src/rpc/restart_scheduler.ts";

/** A scheduler whose work count, clock and deliveries the test controls. */
function setup() {
  const work = { pending: 0 };
  const clock = { now: 5_000_000 };
  const delivered: { reason: string; handled: () => void }[] = [];
  const lines: string[] = [];
  const scheduler = new RestartScheduler({
    pid: 4242,
    pending: () => work.pending,
    deliver: (reason, handled) => delivered.push({ reason, handled }),
    info: (message) => lines.push(`info: ${message}`),
    warn: (message) => lines.push(`warn: ${message}`),
    now: () => clock.now,
  });
  return { work, clock, delivered, lines, scheduler };
}

/** Resolves once `check` holds, looking every 10 ms for up to 3 s. */
async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(check(), what);
}

Deno.test("restart scheduler: an idle gateway restarts on the next turn, not inside the request", async () => {
  const { delivered, scheduler } = setup();
  const answer = scheduler.schedule({ reason: "gateway.restart.safe", skipDeferral: false });
  assert.deepEqual(answer, {
    ok: true,
    pid: 4242,
    signal: "SIGUSR2",
    reason: "gateway.restart.safe",
    mode: "emit",
    cooldownMsApplied: 0,
    delayMs: 0,
    coalesced: false,
    emitHooksQueued: false,
  });
  assert.equal(delivered.length, 0, "not while the request is still being answered");
  await eventually(() => delivered.length === 1, "delivered");
  assert.equal(delivered[0]!.reason, "gateway.restart.safe");
  scheduler.stop();
});

Deno.test("restart scheduler: a safe restart waits for the work, joins a second request, and is delivered once", async () => {
  const { work, delivered, lines, scheduler } = setup();
  work.pending = 2;
  scheduler.schedule({ reason: "gateway.restart.safe", skipDeferral: false });
  await eventually(
    () => lines.some((l) => l.includes("restart deferred until 2 active operation(s)")),
    "deferral said",
  );
  const joined = scheduler.schedule({ reason: "second", skipDeferral: false });
  assert.equal(joined.coalesced, true);
  assert.equal(joined.delayMs, 0);
  assert.equal(delivered.length, 0);
  work.pending = 0;
  await eventually(() => delivered.length === 1, "delivered after the work ended");
  assert.equal(delivered[0]!.reason, "gateway.restart.safe", "the first request's reason");
  // Delivered, not yet handled: a third request joins it.
  assert.equal(scheduler.schedule({ reason: "third", skipDeferral: false }).coalesced, true);
  await new Promise((r) => setTimeout(r, 600));
  assert.equal(delivered.length, 1, "one restart for the three requests");
  scheduler.stop();
});

Deno.test("restart scheduler: skipDeferral bypasses a deferral in progress", async () => {
  const { work, delivered, lines, scheduler } = setup();
  work.pending = 1;
  scheduler.schedule({ reason: "gateway.restart.safe", skipDeferral: false });
  await eventually(() => lines.some((l) => l.includes("restart deferred until 1")), "deferring");
  const bypass = scheduler.schedule({ reason: "now", skipDeferral: true });
  assert.equal(bypass.coalesced, false);
  assert.equal(delivered.length, 1);
  assert.equal(delivered[0]!.reason, "now");
  assert.ok(lines.some((l) => l.startsWith("warn: restart request bypassed active deferral reason=now")));
  scheduler.stop();
});

Deno.test("restart scheduler: skipDeferral while a restart waits out its cooldown arms it again, not joined", async () => {
  const { clock, delivered, lines, scheduler } = setup();
  scheduler.schedule({ reason: "a", skipDeferral: false });
  await eventually(() => delivered.length === 1, "first delivered");
  delivered[0]!.handled();
  clock.now += 1_000;
  const waiting = scheduler.schedule({ reason: "b", skipDeferral: false });
  assert.equal(waiting.delayMs, 29_000);
  const sooner = scheduler.schedule({ reason: "c", skipDeferral: true });
  assert.equal(sooner.coalesced, false, "rescheduled, as the reference answers it");
  assert.equal(sooner.reason, "c");
  assert.equal(sooner.delayMs, 29_000, "the cooldown still holds");
  assert.ok(lines.some((l) => l.startsWith("warn: restart request rescheduled earlier reason=c pendingReason=b")));
  const joined = scheduler.schedule({ reason: "d", skipDeferral: true });
  assert.equal(joined.coalesced, true, "one already without deferral: joined");
  scheduler.stop();
  assert.equal(delivered.length, 1);
});

Deno.test("restart scheduler: a deferral that outlasts 5 minutes restarts anyway", async () => {
  const { work, clock, delivered, lines, scheduler } = setup();
  work.pending = 1;
  scheduler.schedule({ reason: "gateway.restart.safe", skipDeferral: false });
  await eventually(() => lines.length > 0, "deferring");
  clock.now += 300_000;
  await eventually(() => delivered.length === 1, "forced at the budget");
  assert.ok(lines.some((l) => l.startsWith("warn: restart deferral timed out; restarting anyway (1 operation(s)")));
  scheduler.stop();
});

Deno.test("restart scheduler: once handled, the next request waits out the 30 s cooldown", async () => {
  const { clock, delivered, scheduler } = setup();
  scheduler.schedule({ reason: "a", skipDeferral: false });
  await eventually(() => delivered.length === 1, "delivered");
  delivered[0]!.handled();
  assert.equal(scheduler.busy, false);
  clock.now += 10_000;
  const next = scheduler.schedule({ reason: "b", skipDeferral: false });
  assert.equal(next.coalesced, false);
  assert.equal(next.cooldownMsApplied, 20_000);
  assert.equal(next.delayMs, 20_000);
  scheduler.stop();
  assert.equal(scheduler.busy, false, "stop cancels it");
});

Deno.test("restart scheduler: a config reload's restart skips the cooldown", async () => {
  const { clock, delivered, scheduler } = setup();
  scheduler.schedule({ reason: "a", skipDeferral: false });
  await eventually(() => delivered.length === 1, "delivered");
  delivered[0]!.handled();
  clock.now += 10_000;
  const reload = scheduler.schedule({ reason: "config reload: gateway.bind", skipDeferral: false, skipCooldown: true });
  assert.deepEqual([reload.cooldownMsApplied, reload.delayMs, reload.coalesced], [0, 0, false]);
  await eventually(() => delivered.length === 2, "delivered at once");
  scheduler.stop();
});

Deno.test("restart scheduler: a targeted restart drains within its budget, replaces a pending safe one, joins nothing twice", async () => {
  const { work, delivered, scheduler } = setup();
  work.pending = 1;
  scheduler.schedule({ reason: "gateway.restart.safe", skipDeferral: false });
  assert.equal(scheduler.deliverTargeted({ reason: "gateway.restart", budgetMs: undefined }), "emitted");
  assert.equal(scheduler.deliverTargeted({ reason: "again", budgetMs: 0 }), "coalesced");
  assert.equal(scheduler.schedule({ reason: "safe", skipDeferral: false }).coalesced, true);
  await new Promise((r) => setTimeout(r, 600));
  assert.equal(delivered.length, 0, "waits while the work runs (no budget: as long as it takes)");
  work.pending = 0;
  await eventually(() => delivered.length === 1, "delivered once the work ended");
  assert.equal(delivered[0]!.reason, "gateway.restart");
  scheduler.stop();
});

Deno.test("restart scheduler: a targeted restart whose work outlasts its budget goes on regardless", async () => {
  const { work, clock, delivered, lines, scheduler } = setup();
  work.pending = 2;
  scheduler.deliverTargeted({ reason: "gateway.restart", budgetMs: 30_000 });
  await eventually(() => lines.some((l) => l.includes("restart deferred until 2")), "draining");
  assert.equal(delivered.length, 0);
  clock.now += 30_000;
  await eventually(() => delivered.length === 1, "delivered at the budget");
  assert.ok(lines.some((l) => l === "warn: forcing restart after the drain budget (2 operation(s) still active)"));
  scheduler.stop();
});

Deno.test("restart scheduler: a forced targeted restart with no budget goes at once; stop cancels a waiting one", async () => {
  const first = setup();
  first.work.pending = 3;
  assert.equal(first.scheduler.deliverTargeted({ reason: "forced", budgetMs: 0 }), "emitted");
  await eventually(() => first.delivered.length === 1, "delivered without waiting");
  first.scheduler.stop();

  const second = setup();
  second.work.pending = 1;
  second.scheduler.deliverTargeted({ reason: "waiting", budgetMs: undefined });
  second.scheduler.stop();
  assert.equal(second.scheduler.stopped, true);
  second.work.pending = 0;
  await new Promise((r) => setTimeout(r, 600));
  assert.equal(second.delivered.length, 0, "a stopped gateway delivers nothing");
});

Deno.test("restart scheduler: a restart with a delay waits it out; one due sooner takes its place, a later one joins", async () => {
  const { clock, delivered, lines, scheduler } = setup();
  const first = scheduler.schedule({ reason: "config.apply", skipDeferral: false, delayMs: 60_000 });
  assert.deepEqual([first.delayMs, first.coalesced], [60_000, false]);
  clock.now += 1_000;
  const later = scheduler.schedule({ reason: "config.apply", skipDeferral: false, delayMs: 60_000 });
  assert.deepEqual([later.delayMs, later.coalesced], [59_000, true], "joins the one already due sooner");
  const sooner = scheduler.schedule({ reason: "gateway.restart.safe", skipDeferral: false, delayMs: 30 });
  assert.deepEqual([sooner.delayMs, sooner.coalesced], [30, false]);
  assert.ok(lines.some((l) => l.includes("restart request rescheduled earlier reason=gateway.restart.safe")));
  await eventually(() => delivered.length === 1, "delivered after the shorter delay");
  assert.equal(delivered[0]!.reason, "gateway.restart.safe");
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(delivered.length, 1, "the replaced 60 s restart is not delivered as well");
  scheduler.stop();
});

Deno.test("restart scheduler: a sooner request keeps a skipped deferral the one it replaces asked for", async () => {
  const { work, delivered, scheduler } = setup();
  work.pending = 1;
  scheduler.schedule({ reason: "operator", skipDeferral: true, delayMs: 60_000 });
  const sooner = scheduler.schedule({ reason: "config reload: gateway.bind", skipDeferral: false, skipCooldown: true });
  assert.equal(sooner.coalesced, false);
  // Work is still running, yet the operator's skipDeferral holds for the restart that replaced theirs.
  await eventually(() => delivered.length === 1, "delivered without waiting for the work");
  scheduler.stop();
});

Deno.test("restart scheduler: cancel calls off only a pending restart nobody joined, for its own reason", async () => {
  const { work, delivered, scheduler } = setup();
  work.pending = 1;
  scheduler.schedule({ reason: "config reload: a", skipDeferral: false, skipCooldown: true });
  assert.equal(scheduler.cancel("config reload: b"), false, "another reason");
  assert.equal(scheduler.cancel("config reload: a"), true);
  assert.equal(scheduler.busy, false);
  scheduler.schedule({ reason: "config reload: a", skipDeferral: false, skipCooldown: true });
  assert.equal(scheduler.schedule({ reason: "gateway.restart.safe", skipDeferral: false }).coalesced, true);
  assert.equal(scheduler.cancel("config reload: a"), false, "a safe restart joined it");
  work.pending = 0;
  await eventually(() => delivered.length === 1, "the joined restart is delivered");
  assert.equal(scheduler.cancel("config reload: a"), false, "delivered: too late");
  scheduler.stop();
});
