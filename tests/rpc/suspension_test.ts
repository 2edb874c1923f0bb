import assert from "node:assert/strict";
import { NO_ACTIVE_WORK } from "../support/no_active_work.ts";
import { SUSPEND_RETRY_AFTER_MS, SuspensionCoordinator } from "../../src/rpc/suspension.ts";
import { WorkAdmission } from "../../src/rpc/work_admission.ts";

const NONE = NO_ACTIVE_WORK;

/** A coordinator over a fresh fence, with the work counts, clock and scheduler calls the test controls. */
function setup(options: { ttlMs?: number } = {}) {
  const admission = new WorkAdmission();
  const work = { counts: { ...NONE } };
  const clock = { now: 1_000_000 };
  const scheduling: string[] = [];
  const warnings: string[] = [];
  let ids = 0;
  const coordinator = new SuspensionCoordinator({
    admission,
    counts: () => ({ ...work.counts, rootRequests: work.counts.rootRequests + admission.rootCount }),
    pauseScheduling: () => scheduling.push("pause"),
    resumeScheduling: () => scheduling.push("resume"),
    warn: (message) => warnings.push(message),
    now: () => clock.now,
    newId: () => `s${++ids}`,
    ttlMs: options.ttlMs,
  });
  return { admission, work, clock, scheduling, warnings, coordinator };
}

const request = (requestId: string, extra: { drain?: boolean; terminalPolicy?: "preserve" | "terminate" } = {}) => ({
  requestId,
  terminalPolicy: extra.terminalPolicy ?? "preserve" as const,
  drain: extra.drain ?? false,
});

Deno.test("suspension: an idle gateway is prepared at once, scheduling paused, until resumed", () => {
  const { admission, scheduling, coordinator } = setup();
  const ready = coordinator.prepare(request("host-1"));
  assert.deepEqual(ready, {
    status: "ready",
    suspensionId: "s1",
    expiresAtMs: 1_000_000 + 120_000,
    activeCount: 0,
    blockers: [],
    writeCustody: [],
  });
  assert.equal(admission.phase, "prepared");
  assert.deepEqual(scheduling, ["pause"]);
  assert.deepEqual(coordinator.status("s1"), { status: "ready", expiresAtMs: 1_120_000, writeCustody: [] });
  assert.deepEqual(coordinator.resume("other"), { ok: false, reason: "mismatch" });
  assert.deepEqual(coordinator.resume("s1"), { ok: true, status: "running", resumed: true });
  assert.equal(admission.phase, "accepting");
  assert.deepEqual(scheduling, ["pause", "resume"]);
  assert.deepEqual(coordinator.resume("s1"), { ok: true, status: "running", resumed: false }, "a repeat is a no-op");
  assert.deepEqual(coordinator.status("s1"), { status: "running" });
});

Deno.test("suspension: work in progress answers busy, reopens admission and resumes scheduling", () => {
  const { admission, work, scheduling, coordinator } = setup();
  work.counts.embeddedRuns = 1;
  const root = admission.begin("ws:agent")!;
  const busy = coordinator.prepare(request("host-1"));
  assert.deepEqual(busy, {
    status: "busy",
    reason: "active-work",
    retryAfterMs: SUSPEND_RETRY_AFTER_MS,
    activeCount: 2,
    blockers: [
      { kind: "embedded-run", count: 1, message: "1 active embedded run(s)" },
      { kind: "root-request", count: 1, message: "1 active gateway request(s): ws:agent" },
    ],
    writeCustody: [],
  });
  assert.equal(admission.phase, "accepting");
  assert.deepEqual(scheduling, ["pause", "resume"]);
  root.release();
});

Deno.test("suspension: drain mode holds admission closed while admitted work finishes, then is ready", () => {
  const { admission, work, coordinator } = setup();
  work.counts.embeddedRuns = 1;
  const draining = coordinator.prepare(request("host-1", { drain: true }));
  assert.equal(draining.status, "draining");
  assert.equal(admission.phase, "draining");
  assert.equal(admission.begin("ws:chat.send"), undefined, "new work stays out");
  const polled = coordinator.status("s1");
  assert.equal(polled.status, "draining");
  assert.deepEqual(polled.status === "draining" && polled.blockers.map((b) => b.kind), ["embedded-run"]);
  work.counts.embeddedRuns = 0;
  assert.deepEqual(coordinator.status("s1"), { status: "ready", expiresAtMs: 1_120_000, writeCustody: [] });
  assert.equal(admission.phase, "prepared");
  coordinator.stop();
  assert.equal(admission.phase, "accepting", "a stop ends the lease");
});

Deno.test("suspension: the same request renews its lease; a different one conflicts; another lease's id conflicts", () => {
  const { clock, coordinator } = setup();
  coordinator.prepare(request("host-1"));
  clock.now += 60_000;
  const renewed = coordinator.prepare(request("host-1"));
  assert.equal(renewed.status, "ready");
  assert.equal(renewed.status === "ready" && renewed.suspensionId, "s1", "the same lease");
  assert.equal(renewed.status === "ready" && renewed.expiresAtMs, 1_060_000 + 120_000);
  assert.deepEqual(coordinator.prepare(request("host-2")), { status: "conflict", expiresAtMs: 1_180_000 });
  assert.deepEqual(coordinator.prepare(request("host-1", { drain: true })), {
    status: "conflict",
    expiresAtMs: 1_180_000,
  });
  assert.deepEqual(coordinator.status("s9"), { status: "conflict", expiresAtMs: 1_180_000 });
  coordinator.stop();
});

Deno.test("suspension: an expired lease reopens admission by itself, read by the clock or on its timer", async () => {
  const { admission, clock, coordinator, scheduling } = setup();
  coordinator.prepare(request("host-1"));
  clock.now += 120_000;
  assert.deepEqual(coordinator.status("s1"), { status: "running" }, "past its expiry the lease is gone");
  assert.equal(admission.open, true);
  assert.deepEqual(scheduling, ["pause", "resume"]);

  const timed = setup({ ttlMs: 20 });
  timed.coordinator.prepare(request("host-1"));
  assert.equal(timed.admission.phase, "prepared");
  await timed.admission.whenOpen();
  assert.deepEqual(timed.coordinator.resume("s1"), { ok: true, status: "running", resumed: false });
});

Deno.test("suspension: a scheduler that fails to resume is logged and admission still reopens", () => {
  const admission = new WorkAdmission();
  const warnings: string[] = [];
  const coordinator = new SuspensionCoordinator({
    admission,
    counts: () => NONE,
    pauseScheduling: () => {},
    resumeScheduling: () => {
      throw new Error("store locked");
    },
    warn: (message) => warnings.push(message),
  });
  const ready = coordinator.prepare(request("host-1"));
  assert.equal(ready.status, "ready");
  coordinator.resume(ready.status === "ready" ? ready.suspensionId : "");
  assert.equal(admission.open, true);
  assert.deepEqual(warnings, ["gateway scheduler resume failed: store locked"]);
});

Deno.test("suspension: a prepare that fails midway (a count throws) reopens admission and resumes scheduling", () => {
  const admission = new WorkAdmission();
  const scheduling: string[] = [];
  let broken = true;
  const coordinator = new SuspensionCoordinator({
    admission,
    counts: () => {
      if (broken) throw new Error("store locked");
      return NONE;
    },
    pauseScheduling: () => scheduling.push("pause"),
    resumeScheduling: () => scheduling.push("resume"),
    warn: () => {},
  });
  assert.throws(() => coordinator.prepare(request("host-1")), /store locked/);
  assert.equal(admission.phase, "accepting");
  assert.deepEqual(scheduling, ["pause", "resume"]);
  broken = false;
  const ready = coordinator.prepare(request("host-1"));
  assert.equal(ready.status, "ready", "a later prepare works");
  coordinator.stop();
});
