import assert from "node:assert/strict";
import type { CronJob } from "../../src/agent/cron_control.ts";
import { applyCronPatch } from "../../src/agent/cron_patch.ts";

const NOW = Date.parse("2026-11-30T12:00:00Z");

function job(schedule: CronJob["schedule"]): CronJob {
  return {
    id: "j1",
    name: "j",
    enabled: true,
    createdAtMs: NOW - 86_400_000,
    updatedAtMs: NOW - 86_400_000,
    schedule,
    sessionTarget: "main",
    wakeMode: "now",
    payload: { kind: "systemEvent", text: "x" },
    state: {},
  };
}

Deno.test("a patched every schedule without an anchor is left to the scheduler, not re-anchored at now", () => {
  const current = job({ kind: "every", everyMs: 600_000, anchorMs: NOW - 86_400_000 });
  const next = applyCronPatch(current, { schedule: { kind: "every", everyMs: 600_000 }, name: "k" }, NOW);
  assert.deepEqual(next.schedule, { kind: "every", everyMs: 600_000 });
  const anchored = applyCronPatch(current, { schedule: { kind: "every", everyMs: 60_000, anchorMs: 5 } }, NOW);
  assert.deepEqual(anchored.schedule, { kind: "every", everyMs: 60_000, anchorMs: 5 });
});

Deno.test("a patched cron expression keeps its stagger for the same expression, else the top-of-hour default", () => {
  const exact = job({ kind: "cron", expr: "0 * * * *", staggerMs: 0 });
  const retimed = applyCronPatch(exact, { schedule: { kind: "cron", expr: "0 * * * *", tz: "Europe/Paris" } }, NOW);
  assert.deepEqual(retimed.schedule, { kind: "cron", expr: "0 * * * *", tz: "Europe/Paris", staggerMs: 0 });
  const moved = applyCronPatch(exact, { schedule: { kind: "cron", expr: "0 */2 * * *" } }, NOW);
  assert.deepEqual(moved.schedule, { kind: "cron", expr: "0 */2 * * *", staggerMs: 300_000 });
  const daily = applyCronPatch(exact, { schedule: { kind: "cron", expr: "30 9 * * *" } }, NOW);
  assert.deepEqual(daily.schedule, { kind: "cron", expr: "30 9 * * *" });
  const explicit = applyCronPatch(exact, { schedule: { kind: "cron", expr: "0 * * * *", staggerMs: 60_000 } }, NOW);
  assert.deepEqual(explicit.schedule, { kind: "cron", expr: "0 * * * *", staggerMs: 60_000 });
});
