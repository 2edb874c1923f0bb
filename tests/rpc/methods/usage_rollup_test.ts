import assert from "node:assert/strict";
import { resolveUsageRange } from "../../../src/rpc/methods/usage_range.ts";
import {
  costUsageSummary,
  emptyTotals,
  sessionsUsageSummary,
  type UsageSession,
} from "../../../src/rpc/methods/usage_rollup.ts";

const NOW = Date.parse("2026-11-30T12:00:00Z");
const range = resolveUsageRange({ mode: "utc", days: 3 }, NOW, undefined);
if (typeof range === "string") throw new Error(range);

const SESSIONS: UsageSession[] = [{
  agentId: "main",
  key: "agent:main:main",
  sessionId: "s1",
  updatedAt: Date.parse("2026-11-30T10:00:01Z"),
  messages: [
    { role: "user", timestamp: Date.parse("2026-11-29T10:00:00Z") },
    {
      role: "assistant",

      timestamp: Date.parse("2026-11-29T10:00:01Z"),
      provider: "fake",
      model: "slow",
      usage: { input: 10, output: 5 },
    },
    { role: "user", timestamp: Date.parse("2026-11-30T10:00:00Z") },
    {
      role: "assistant",

      timestamp: Date.parse("2026-11-30T10:00:01Z"),
      provider: "fake",
      model: "slow",
      stopReason: "error",
      usage: { input: 20, output: 0 },
    },
    // Outside the window: not counted.
    { role: "user", timestamp: Date.parse("2026-10-01T00:00:00Z") },
  ],
}];

// The reference's empty `usage.cost` (recorded from `openclaw gateway usage-cost --json`).
const REFERENCE_TOTALS_KEYS = [
  "input",
  "output",
  "cacheRead",
  "cacheWrite",
  "totalTokens",
  "totalCost",
  "inputCost",
  "outputCost",
  "cacheReadCost",
  "cacheWriteCost",
  "missingCostEntries",
];

Deno.test("usage.cost: a row per day of the window, the reference's keys, tokens from our transcripts", () => {
  const empty = costUsageSummary([], range, NOW);
  assert.deepEqual(Object.keys(empty), ["updatedAt", "days", "daily", "totals", "cacheStatus"]);
  assert.deepEqual(Object.keys(empty.totals), REFERENCE_TOTALS_KEYS);
  assert.deepEqual(empty.daily.map((d) => d.date), ["2026-11-28", "2026-11-29", "2026-11-30"]);
  assert.deepEqual(Object.keys(empty.daily[0]!), ["date", ...REFERENCE_TOTALS_KEYS]);
  assert.deepEqual(empty.cacheStatus, { status: "fresh", cachedFiles: 0, pendingFiles: 0, staleFiles: 0 });

  const summary = costUsageSummary(SESSIONS, range, NOW);
  assert.equal(summary.totals.input, 30);
  assert.equal(summary.totals.output, 5);
  assert.equal(summary.totals.totalTokens, 35);
  // No price table: every entry with usage is one whose cost is missing, by model.
  assert.equal(summary.totals.missingCostEntries, 2);
  assert.deepEqual(summary.totals.missingCostByModel, { "fake/slow": 2 });
  assert.deepEqual(summary.daily.map((d) => d.totalTokens), [0, 15, 20]);
});

Deno.test("sessions.usage: per-session usage and aggregates from our transcripts", () => {
  const empty = sessionsUsageSummary([], range, 50, NOW);
  assert.deepEqual(Object.keys(empty), [
    "updatedAt",
    "startDate",
    "endDate",
    "sessions",
    "totals",
    "aggregates",
    "creatorOptions",
  ]);
  assert.deepEqual(empty.totals, emptyTotals());
  assert.deepEqual(Object.keys(empty.aggregates), [
    "sessionCount",
    "messages",
    "tools",
    "byModel",
    "byProvider",
    "byAgent",
    "byChannel",
    "byCreator",
    "costDaily",
    "dailyLatency",
    "modelDaily",
    "daily",
  ]);

  const summary = sessionsUsageSummary(SESSIONS, range, 50, NOW);
  assert.equal(summary.sessions.length, 1);
  const [session] = summary.sessions;
  assert.equal(session!.key, "agent:main:main");
  assert.equal(session!.usage.totalTokens, 35);
  assert.deepEqual(session!.usage.messageCounts, {
    total: 4,
    user: 2,
    assistant: 2,
    toolCalls: 0,
    toolResults: 0,
    errors: 1,
  });
  assert.deepEqual(session!.usage.activityDates, ["2026-11-29", "2026-11-30"]);
  assert.equal(summary.aggregates.sessionCount, 1);
  assert.deepEqual(summary.aggregates.byModel.map((m) => [m.provider, m.model, m.count, m.totals.totalTokens]), [
    ["fake", "slow", 2, 35],
  ]);
  assert.deepEqual(summary.aggregates.byAgent.map((a) => [a.agentId, a.totals.totalTokens]), [["main", 35]]);
  // Per-day totals carry exactly the reference's keys (a day's own fields never leak into the sums).
  assert.deepEqual(summary.aggregates.costDaily.map((d) => [d.date, d.totalTokens]), [
    ["2026-11-29", 15],
    ["2026-11-30", 20],
  ]);
  assert.deepEqual(Object.keys(summary.aggregates.costDaily[0]!), [
    "date",
    ...REFERENCE_TOTALS_KEYS,
    "missingCostByModel",
  ]);
  assert.deepEqual(summary.aggregates.daily.map((d) => [d.date, d.tokens, d.messages, d.errors]), [
    ["2026-11-29", 15, 2, 0],
    ["2026-11-30", 20, 2, 1],
  ]);
  assert.equal(sessionsUsageSummary(SESSIONS, range, 50, NOW).totals.totalTokens, 35);
  assert.equal(
    sessionsUsageSummary(SESSIONS, range, 0, NOW).sessions.length,
    0,
    "limit bounds the list, not the totals",
  );
});
