import assert from "node:assert/strict";
import { usageMethods } from "../../../src/rpc/methods/usage.ts";
import type { UsageSession } from "../../../src/rpc/methods/usage_rollup.ts";
import { advertisedMethods } from "../../../src/rpc/registry.ts";
import { callMethod, payloadOf } from "../../support/method_call.ts";

const NOW = Date.parse("2026-11-30T12:00:00Z");
const session = (agentId: string, tokens: number): UsageSession => ({
  agentId,
  key: `agent:${agentId}:main`,
  sessionId: `${agentId}-1`,
  updatedAt: NOW,
  messages: [{
    role: "assistant",
    content: [{ type: "text", text: "x" }],
    timestamp: NOW - 1000,
    usage: { input: tokens, output: 0 },
  }],
});

function methods(asked: string[][] = []) {
  return usageMethods({
    sessions: (ids) => {
      asked.push([...ids]);
      return Promise.resolve([session("main", 3), session("ops", 4)].filter((s) => ids.includes(s.agentId)));
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
