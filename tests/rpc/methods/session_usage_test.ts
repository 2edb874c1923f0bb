// Session usage summed from transcripts, in the reference's `sessions.usage` shapes.
import assert from "node:assert/strict";
import { sessionUsage, usageAggregates } from "../../../src/rpc/methods/session_usage.ts";
import { usageRange } from "../../../src/rpc/methods/session_usage_methods.ts";
import type { TranscriptMessage } from "../../../src/sessions/store.ts";

const day1 = Date.parse("2026-11-01T10:00:00Z");
const day2 = Date.parse("2026-11-02T10:00:00Z");
const text = (t: string) => [{ type: "text" as const, text: t }];
const messages: TranscriptMessage[] = [
  { role: "user", content: text("a"), timestamp: day1 },
  {
    role: "assistant",
    content: text("b"),
    timestamp: day1 + 1000,
    provider: "fake",
    model: "m1",
    usage: { input: 10, output: 5 },
  },
  { role: "user", content: text("c"), timestamp: day2 },
  {
    role: "assistant",
    content: text("d"),
    timestamp: day2 + 500,
    provider: "fake",
    model: "m2",
    usage: { input: 20, output: 7 },
  },
  { role: "assistant", content: text("e"), timestamp: day2 + 900, stopReason: "aborted" },
];

Deno.test("a session's usage: totals, counts, per model and per day from its answers; no price, so missing costs", () => {
  const usage = sessionUsage(messages, "s1", { startMs: 0, endMs: Date.parse("2026-12-01T00:00:00Z") });
  assert.deepEqual([usage.input, usage.output, usage.totalTokens, usage.totalCost, usage.missingCostEntries], [
    30,
    12,
    42,
    0,
    2,
  ]);
  assert.deepEqual(usage.messageCounts, { total: 5, user: 2, assistant: 3, toolCalls: 0, toolResults: 0, errors: 1 });
  assert.deepEqual(usage.activityDates, ["2026-11-01", "2026-11-02"]);
  assert.deepEqual(usage.modelUsage.map((m) => [m.model, m.count, m.totals.totalTokens]), [["m2", 1, 27], [
    "m1",
    1,
    15,
  ]]);
  assert.deepEqual(usage.dailyBreakdown.map((d) => [d.date, d.tokens]), [["2026-11-01", 15], ["2026-11-02", 27]]);
  assert.equal(usage.durationMs, day2 + 900 - day1);
  const second = sessionUsage(messages, "s1", { startMs: day2, endMs: day2 + 10_000 });
  assert.equal(second.totalTokens, 27, "only the range's answers count");
});

Deno.test("aggregates sum the sessions by model, provider, agent and day", () => {
  const usage = sessionUsage(messages, "s1", { startMs: 0, endMs: Infinity });
  const { totals, aggregates } = usageAggregates([
    { usage, agentId: "main", creatorKey: "k", actor: null },
    { usage, agentId: "ops", creatorKey: "k", actor: null },
  ]);
  assert.equal(totals.totalTokens, 84);
  assert.equal(aggregates.sessionCount, 2);
  assert.equal(aggregates.messages.total, 10);
  assert.deepEqual(aggregates.byProvider.map((p) => [p.provider, p.count, p.totals.totalTokens]), [["fake", 4, 84]]);
  assert.deepEqual(aggregates.byAgent.map((a) => a.agentId).sort(), ["main", "ops"]);
  assert.deepEqual(aggregates.daily.map((d) => [d.date, d.tokens, d.messages]), [["2026-11-01", 30, 4], [
    "2026-11-02",
    54,
    6,
  ]]);
});

Deno.test("the usage range: explicit dates, a preset, or the last 30 days by default", () => {
  const now = Date.parse("2026-11-30T12:00:00Z");
  assert.deepEqual(usageRange({}, now), { startMs: Date.parse("2026-11-01T00:00:00Z"), endMs: now });
  assert.equal(usageRange({ range: "7d" }, now).startMs, Date.parse("2026-11-24T00:00:00Z"));
  assert.deepEqual(usageRange({ startDate: "2026-10-01", endDate: "2026-10-02" }, now), {
    startMs: Date.parse("2026-10-01T00:00:00Z"),
    endMs: Date.parse("2026-10-02T23:59:59.999Z"),
  });
});
