import assert from "node:assert/strict";
import type { CronJob } from "../../src/agent/cron_control.ts";
import {
  computeJobNextRunAtMs,
  computeNextRunAtMs,
  CronExpressions,
  errorBackoffMs,
  isRecurringTopOfHour,
  parseAbsoluteTimeMs,
  previousStaggeredCronRun,
  resolveStaggerMs,
  stableOffsetMs,
} from "../../src/automation/cron_schedule.ts";

const expressions = new CronExpressions("UTC");
const T = Date.parse("2026-06-01T10:00:00Z");

function job(schedule: CronJob["schedule"], over: Partial<CronJob> = {}): CronJob {
  return {
    id: "job-1",
    name: "j",
    enabled: true,
    createdAtMs: T,
    updatedAtMs: T,
    schedule,
    sessionTarget: "main",
    wakeMode: "next-heartbeat",
    payload: { kind: "systemEvent", text: "hi" },
    state: {},
    ...over,
  };
}

Deno.test("parseAbsoluteTimeMs() reads ISO times as UTC without an offset, epoch digits as ms, and rejects impossible dates", () => {
  assert.equal(parseAbsoluteTimeMs("2026-06-01T10:00:00Z"), T);
  assert.equal(parseAbsoluteTimeMs("2026-06-01T10:00:00"), T);
  assert.equal(parseAbsoluteTimeMs("2026-06-01T12:00:00+02:00"), T);
  assert.equal(parseAbsoluteTimeMs("2026-06-01"), Date.parse("2026-06-01T00:00:00Z"));
  assert.equal(parseAbsoluteTimeMs(String(T)), T);
  assert.equal(parseAbsoluteTimeMs("2026-02-31T00:00:00"), null);
  assert.equal(parseAbsoluteTimeMs("tomorrow"), null);
  assert.equal(parseAbsoluteTimeMs("  "), null);
});

Deno.test("computeNextRunAtMs() steps `every` from its anchor and answers `at` only while in the future", () => {
  assert.equal(
    computeNextRunAtMs({ kind: "every", everyMs: 60_000, anchorMs: T }, T + 90_000, expressions),
    T + 120_000,
  );
  assert.equal(computeNextRunAtMs({ kind: "every", everyMs: 60_000, anchorMs: T + 5_000 }, T, expressions), T + 5_000);
  assert.equal(computeNextRunAtMs({ kind: "every", everyMs: 0 }, T, expressions), undefined);
  assert.equal(computeNextRunAtMs({ kind: "at", at: "2026-06-01T10:00:05Z" }, T, expressions), T + 5_000);
  assert.equal(computeNextRunAtMs({ kind: "at", at: "2026-06-01T09:00:00Z" }, T, expressions), undefined);
});

Deno.test("cron expressions honour their time zone (Europe/Vienna 09:00 is 07:00 UTC in summer, 08:00 in winter)", () => {
  const summer = computeNextRunAtMs({ kind: "cron", expr: "0 9 * * *", tz: "Europe/Vienna" }, T, expressions);
  assert.equal(new Date(summer!).toISOString(), "2026-06-02T07:00:00.000Z");
  const winter = computeNextRunAtMs(
    { kind: "cron", expr: "0 9 * * *", tz: "Europe/Vienna" },
    Date.parse("2026-12-01T10:00:00Z"),
    expressions,
  );
  assert.equal(new Date(winter!).toISOString(), "2026-12-02T08:00:00.000Z");
  const seconds = computeNextRunAtMs({ kind: "cron", expr: "*/5 * * * * *" }, T + 1, expressions);
  assert.equal(seconds, T + 5_000);
});

Deno.test("top-of-hour expressions are staggered by a fixed per-job offset inside 5 minutes; explicit staggerMs wins", () => {
  assert.equal(isRecurringTopOfHour("0 * * * *"), true);
  assert.equal(isRecurringTopOfHour("0 */2 * * *"), true);
  assert.equal(isRecurringTopOfHour("0 9 * * *"), false);
  assert.equal(isRecurringTopOfHour("15 * * * *"), false);
  assert.equal(isRecurringTopOfHour("0 0 * * * *"), true);
  assert.equal(resolveStaggerMs({ expr: "0 * * * *" }), 300_000);
  assert.equal(resolveStaggerMs({ expr: "0 * * * *", staggerMs: 0 }), 0);
  assert.equal(resolveStaggerMs({ expr: "0 9 * * *" }), 0);
  const offset = stableOffsetMs("job-1", 300_000);
  assert.ok(offset >= 0 && offset < 300_000);
  assert.equal(stableOffsetMs("job-1", 300_000), offset, "deterministic");
  assert.notEqual(stableOffsetMs("job-2", 300_000), offset);
  const hourly = job({ kind: "cron", expr: "0 * * * *" });
  assert.equal(computeJobNextRunAtMs(hourly, T, expressions), T + offset, "this hour's staggered slot is still ahead");
  assert.equal(computeJobNextRunAtMs(hourly, T + offset, expressions), T + 3_600_000 + offset);
  assert.equal(previousStaggeredCronRun(hourly, T + offset + 10, expressions), T + offset);
  const exact = job({ kind: "cron", expr: "0 * * * *", staggerMs: 0 });
  assert.equal(computeJobNextRunAtMs(exact, T, expressions), T + 3_600_000);
});

Deno.test("computeJobNextRunAtMs(): `every` continues from the last run, `at` stops after success, disabled jobs have none", () => {
  const every = job({ kind: "every", everyMs: 60_000, anchorMs: T }, { state: { lastRunAtMs: T + 30_000 } });
  assert.equal(computeJobNextRunAtMs(every, T + 40_000, expressions), T + 90_000);
  const at = job({ kind: "at", at: "2026-06-01T10:00:05Z" });
  assert.equal(computeJobNextRunAtMs(at, T + 10_000, expressions), T + 5_000, "an unrun one-shot stays due");
  at.state = { lastRunAtMs: T + 5_000, lastRunStatus: "ok" };
  assert.equal(computeJobNextRunAtMs(at, T + 10_000, expressions), undefined);
  assert.equal(
    computeJobNextRunAtMs(job({ kind: "every", everyMs: 1000 }, { enabled: false }), T, expressions),
    undefined,
  );
});

Deno.test("errorBackoffMs() follows 30 s, 1 min, 5 min, 15 min, then 60 min", () => {
  assert.deepEqual([1, 2, 3, 4, 5, 9].map((n) => errorBackoffMs(n)), [
    30_000,
    60_000,
    300_000,
    900_000,
    3_600_000,
    3_600_000,
  ]);
});

Deno.test("around daylight-saving changes a skipped wall time does not run and a repeated one runs once (values recorded from the reference)", () => {
  const iso = (ms: number | undefined) => ms === undefined ? undefined : new Date(ms).toISOString();
  const vienna = new CronExpressions("UTC");
  // 2026-03-29 02:30 does not exist in Vienna: the next 02:30 is the day after.
  assert.equal(
    iso(vienna.next("30 2 * * *", "Europe/Vienna", Date.parse("2026-03-28T22:00:00Z"))),
    "2026-03-30T00:30:00.000Z",
  );
  assert.equal(
    iso(vienna.previous("30 2 * * *", "Europe/Vienna", Date.parse("2026-03-29T02:30:00Z"))),
    "2026-03-28T01:30:00.000Z",
  );
  // 2026-11-01 01:30 happens twice in New York: only the first (EDT) one runs.
  assert.equal(
    iso(vienna.next("30 1 * * *", "America/New_York", Date.parse("2026-11-01T05:00:00Z"))),
    "2026-11-01T05:30:00.000Z",
  );
  assert.equal(
    iso(vienna.next("30 1 * * *", "America/New_York", Date.parse("2026-11-01T06:00:00Z"))),
    "2026-11-02T06:30:00.000Z",
  );
  assert.equal(
    iso(vienna.previous("30 1 * * *", "America/New_York", Date.parse("2026-11-01T06:00:00Z"))),
    "2026-11-01T05:30:00.000Z",
  );
  // An occurrence in the current second is not yet the previous one, as in croner and the reference.
  assert.equal(
    iso(vienna.previous("*/10 * * * * *", "UTC", Date.parse("2026-06-01T10:00:00.200Z"))),
    "2026-06-01T09:59:50.000Z",
  );
});
