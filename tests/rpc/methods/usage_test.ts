import assert from "node:assert/strict";
import { usageMethods, type UsageRow } from "../../../src/rpc/methods/usage.ts";
import { advertisedMethods } from "../../../src/rpc/registry.ts";
import { callMethod, payloadOf } from "../../support/method_call.ts";

const NOW = Date.parse("2026-11-30T12:00:00Z");
const DAY = 86_400_000;
const row = (agentId: string, name = "main", at = NOW - 1000): UsageRow => ({
  agentId,
  key: `agent:${agentId}:${name}`,
  sessionId: `${agentId}-${name}`,
  createdAt: at - 60_000,
  updatedAt: at,
});
const TOKENS: Record<string, number> = { "main-main": 3, "ops-main": 4, "main-old": 5 };

function methods(asked: string[][] = [], read: string[] = [], rows = [row("main"), row("ops")]) {
  return usageMethods({
    rows: (ids) => {
      asked.push([...ids]);
      return Promise.resolve(rows.filter((r) => ids.includes(r.agentId)));
    },
    messages: (r) => {
      read.push(r.key);
      return Promise.resolve([{
        role: "assistant" as const,
        timestamp: r.updatedAt - 1000,
        usage: { input: TOKENS[r.sessionId] ?? 1, output: 0 },
      }]);
    },
    agents: () => ({ ids: ["main", "ops"], defaultAgentId: "main" }),
    now: () => NOW,
  });
}

Deno.test("usage.cost covers the default agent, one agent, or all of them, as the reference scopes it", async () => {
  const asked: string[][] = [];
  const table = methods(asked);
  const total = async (params: unknown) =>
    ((await payloadOf(table, "usage.cost", params)) as { totals: { totalTokens: number } }).totals.totalTokens;
  assert.equal(await total({ days: 7 }), 3);
  assert.equal(await total({ days: 7, agentId: "ops" }), 4);
  assert.equal(await total({ days: 7, agentScope: "all" }), 7);
  assert.deepEqual(asked, [["main"], ["ops"], ["main", "ops"]]);
  const both = await callMethod(table, "usage.cost", { agentId: "ops", agentScope: "all" });
  assert.equal(!both.ok && both.error.message, "agentScope=all cannot be combined with agentId");
  const unknown = await callMethod(table, "usage.cost", { agentId: "nobody" });
  assert.equal(!unknown.ok && unknown.error.message, 'unknown agent id "nobody"');
  const badDate = await callMethod(table, "usage.cost", { startDate: "2026-13-01", endDate: "2026-13-02" });
  assert.equal(!badDate.ok && badDate.error.code, "INVALID_REQUEST");
  const stray = await callMethod(table, "usage.cost", { bogus: 1 });
  assert.equal(!stray.ok && stray.error.message, "invalid usage.cost params: at root: unexpected property 'bogus'");
});

Deno.test("sessions.usage takes the Usage page's params, filters by key, and stays out of hello-ok", async () => {
  const table = methods();
  // What the reference Control UI sends from its Usage page.
  const params = {
    startDate: "2026-11-01",
    endDate: "2026-11-30",
    agentId: "main",
    mode: "specific",
    timeZone: "UTC",
    utcOffset: "UTC+0",
    groupBy: "family",
    limit: 1000,
    includeContextWeight: false,
  };
  const payload = (await payloadOf(table, "sessions.usage", params)) as { sessions: { key: string }[] };
  assert.deepEqual(payload.sessions.map((s) => s.key), ["agent:main:main"]);
  const none = (await payloadOf(table, "sessions.usage", { ...params, key: "agent:main:other" })) as {
    sessions: unknown[];
  };
  assert.equal(none.sessions.length, 0);
  const bad = await callMethod(table, "sessions.usage", { limit: 0 });
  assert.equal(!bad.ok && bad.error.code, "INVALID_REQUEST");
  assert.deepEqual(advertisedMethods(table), ["usage.cost", "usage.status"]);
  assert.deepEqual(await payloadOf(table, "usage.status", null), { updatedAt: NOW, providers: [], refreshing: false });
});

Deno.test("usage reads only the transcripts of sessions active in the window, and one for a key", async () => {
  const read: string[] = [];
  const old = row("main", "old", NOW - 60 * DAY);
  const table = methods([], read, [row("main"), old, row("main", "other")]);
  const week = (await payloadOf(table, "usage.cost", { days: 7 })) as { totals: { totalTokens: number } };
  assert.equal(week.totals.totalTokens, 3 + 1);
  assert.deepEqual(read.sort(), ["agent:main:main", "agent:main:other"], "the session idle for 60 days is not read");
  read.length = 0;
  const quarter = (await payloadOf(table, "usage.cost", { days: 90 })) as { totals: { totalTokens: number } };
  assert.equal(quarter.totals.totalTokens, 3 + 1 + 5);
  read.length = 0;
  await payloadOf(table, "sessions.usage", { key: "agent:main:other", startDate: "2026-11-01", endDate: "2026-11-30" });
  assert.deepEqual(read, ["agent:main:other"]);
  read.length = 0;
  const all = (await payloadOf(table, "usage.cost", { range: "all" })) as { days: number };
  assert.equal(all.days, 61, "range all starts on the day the oldest session began");
});
