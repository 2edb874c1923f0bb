import assert from "node:assert/strict";
import { resolveUsageRange, shiftDate, type UsageRange } from "../../../src/rpc/methods/usage_range.ts";

const NOW = Date.parse("2026-11-30T06:00:00Z");

function range(params: Record<string, unknown>, earliest?: number): UsageRange {
  const resolved = resolveUsageRange(params, NOW, earliest);
  if (typeof resolved === "string") throw new Error(resolved);
  return resolved;
}

Deno.test("usage range: days end today, default 30, as the reference counts them", () => {
  assert.deepEqual([range({ mode: "utc" }).startDate, range({ mode: "utc" }).endDate], ["2026-11-01", "2026-11-30"]);
  const week = range({ mode: "utc", days: 7 });
  assert.deepEqual([week.startDate, week.endDate, week.days], ["2026-11-24", "2026-11-30", 7]);
  assert.equal(range({ mode: "utc", range: "90d" }).days, 90);
  assert.equal(range({ mode: "utc", range: "all" }, Date.parse("2026-11-28T12:00:00Z")).startDate, "2026-11-28");
  assert.equal(shiftDate("2026-03-01", -1), "2026-02-28");
});

Deno.test("usage range: explicit dates, and the zone decides which day a timestamp falls on", () => {
  const explicit = range({ startDate: "2026-11-01", endDate: "2026-11-30", mode: "specific", timeZone: "UTC" });
  assert.deepEqual([explicit.startDate, explicit.endDate, explicit.days], ["2026-11-01", "2026-11-30", 30]);
  const late = Date.parse("2026-11-29T23:30:00Z");
  assert.equal(range({ mode: "utc" }).dayOf(late), "2026-11-29");
  assert.equal(range({ mode: "specific", utcOffset: "UTC+2" }).dayOf(late), "2026-11-30");
  assert.equal(range({ mode: "specific", timeZone: "America/New_York" }).dayOf(late), "2026-11-29");
  assert.equal(range({ mode: "specific", timeZone: "Asia/Tokyo" }).dayOf(late), "2026-11-30");
});

Deno.test("usage range: the reference's refusals, word for word", () => {
  const problem = (params: Record<string, unknown>) => resolveUsageRange(params, NOW, undefined);
  assert.equal(
    problem({ startDate: "2026-02-30", endDate: "2026-03-01" }),
    "invalid startDate: expected a valid YYYY-MM-DD calendar date",
  );
  assert.equal(problem({ startDate: "2026-11-01" }), "startDate and endDate must be provided together");
  assert.equal(problem({ startDate: "2026-11-02", endDate: "2026-11-01" }), "startDate must not be after endDate");
  assert.equal(problem({ mode: "specific", timeZone: "Mars/Olympus" }), "invalid timeZone: Mars/Olympus");
});
