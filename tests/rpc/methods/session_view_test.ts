// The session, message, model and agent views against the key sets the reference 2026.9.6 sent
// (tests/fixtures/reference_chat_frames.json, recorded from its Control UI and client library).
import assert from "node:assert/strict";
import { agentsFromConfig } from "../../../src/agent/agents_config.ts";
import { agentSummary } from "../../../src/rpc/methods/agents.ts";
import { historyPage, inputReceipts } from "../../../src/rpc/methods/chat_history.ts";
import { modelView } from "../../../src/rpc/methods/models.ts";
import {
  canonicalKey,
  DEFAULT_CONTEXT_TOKENS,
  messageView,
  sessionDefaults,
  sessionRowView,
  type SessionViewContext,
} from "../../../src/rpc/methods/session_view.ts";
import type { SessionRow } from "../../../src/sessions/store.ts";

const reference = JSON.parse(
  await Deno.readTextFile(new URL("../../fixtures/reference_chat_frames.json", import.meta.url)),
) as Record<string, string[]>;

/** The row keys the reference CLI printed for a session after a run (`sessions.list` in its recorded run). */
const cliRowKeys: string[] = JSON.parse(
  await Deno.readTextFile(new URL("../../fixtures/reference_cli/outcomes.json", import.meta.url)),
).outcomes["call-sessions-list-after"].paths.filter((p: string) => /^sessions\[\]\.[^.[]+$/.test(p))
  .map((p: string) => p.slice("sessions[].".length));
const rowKeys = [...new Set([...reference.sessionRowKeys!, ...cliRowKeys])];

const agents = agentsFromConfig(
  {
    models: { providers: { fake: { baseUrl: "http://127.0.0.1:1/v1", models: [{ id: "m1", contextWindow: 32000 }] } } },
    agents: { defaults: { model: { primary: "fake/m1" } } },
  } as never,
  "/s",
  "/home/test",
);
const models = [{ id: "m1", name: "Fake", provider: "fake", contextWindow: 32000, reasoning: false, available: true }];

function ctx(active: Record<string, string[]> = {}): SessionViewContext {
  return { agents, models, activeRunIds: (key) => active[key] ?? [] };
}

const row: SessionRow = {
  key: "agent:main:main",
  agentId: "main",
  sessionId: "s-1",
  createdAt: 1000,
  updatedAt: 2000,
  messageCount: 2,
  lastPreview: "hi",
  inputTokens: 10,
  outputTokens: 8,
  totalTokens: 10,
  totalTokensFresh: true,
  totalTokensVersion: 1,
};

/**
 * Keys of features this gateway does not have (participants, placement, context budgets, system
 * prompt sends), and the last run's keys a row without a finished run has none of.
 */
const ROW_KEYS_WE_LACK = new Set([
  "contextBudgetStatus",
  "endedAt",
  "expandedParticipants",
  "lastRunId",
  "placement",
  "runtimeMs",
  "startedAt",
  "systemSent",
]);

Deno.test("a session row has the reference's keys, less only those of features we lack", () => {
  const view = sessionRowView(ctx(), row.key, "main", row, 3000);
  const ours = new Set(Object.keys(view));
  for (const key of ours) assert.ok(rowKeys.includes(key), `${key} is not a reference row key`);
  const missing = rowKeys.filter((k) => !ours.has(k) && k !== "status");
  assert.deepEqual(missing.filter((k) => !ROW_KEYS_WE_LACK.has(k)), []);
  assert.equal(view.abortedLastRun, false);
  assert.equal(view.lastActivityAt, 2000, "the entry's lastActivityAt, else its last update");
  assert.equal(view.sessionId, "s-1");
  assert.equal(view.updatedAt, 2000);
  assert.equal(view.modelProvider, "fake");
  assert.equal(view.contextTokens, 32000);
  assert.equal(view.isMain, true);
  assert.deepEqual([view.inputTokens, view.outputTokens, view.totalTokens, view.totalTokensFresh], [10, 8, 10, true]);
});

Deno.test("a row's totalTokens is the stored one when fresh at version 1, as the reference's list reads it", () => {
  const view = (fields: Partial<SessionRow>) => {
    const v = sessionRowView(ctx(), row.key, "main", { ...row, ...fields }, 3000);
    return [v.totalTokens, v.totalTokensFresh];
  };
  assert.deepEqual(view({}), [10, true]);
  assert.deepEqual(view({ totalTokensFresh: false }), [undefined, false], "stale: no size");
  assert.deepEqual(view({ totalTokensVersion: undefined }), [undefined, false], "unversioned: no size");
  assert.deepEqual(
    view({ totalTokens: undefined, totalTokensFresh: undefined, totalTokensVersion: undefined }),
    [undefined, false],
    "a row no run end wrote the size into has none, whatever its inputTokens",
  );
});

Deno.test("a row after a run carries the last run from its entry: status, span, run id, aborted", () => {
  const ran: SessionRow = {
    ...row,
    lastActivityAt: 1990,
    lastRunId: "r1",
    startedAt: 1500,
    endedAt: 1900,
    runtimeMs: 400,
    status: "done",
    abortedLastRun: false,
  };
  const view = sessionRowView(ctx(), row.key, "main", ran, 3000);
  for (const key of Object.keys(view)) assert.ok(rowKeys.includes(key), `${key} is not a reference row key`);
  assert.deepEqual(
    [view.status, view.startedAt, view.endedAt, view.runtimeMs, view.lastRunId, view.lastActivityAt],
    ["done", 1500, 1900, 400, "r1", 1990],
  );
  const running = sessionRowView(ctx({ [row.key]: ["r2"] }), row.key, "main", { ...ran, lastRunId: "r2" });
  assert.equal(running.status, "running");
  assert.equal("endedAt" in running || "runtimeMs" in running, false, "no end while the next run is in flight");
});

Deno.test("a model without a configured context window has the reference's default, 200k", () => {
  const bare = [{ ...models[0]!, contextWindow: undefined }];
  const view = sessionRowView({ agents, models: bare, activeRunIds: () => [] }, row.key, "main", row);
  assert.equal(view.contextTokens, DEFAULT_CONTEXT_TOKENS);
  assert.equal(DEFAULT_CONTEXT_TOKENS, 200_000);
});

Deno.test("a built-in model the config does not configure has its catalog window and its plugin's thinking default", () => {
  const builtInAgents = agentsFromConfig(
    { agents: { defaults: { model: { primary: "anthropic/claude-opus-5" } } } } as never,
    "/s",
    "/home/test",
  );
  const opus = {
    id: "claude-opus-5",
    name: "Claude Opus 5",
    provider: "anthropic",
    contextWindow: 1_000_000,
    reasoning: true,
    available: true,
    thinking: { levels: ["off", "low", "high"], defaultLevel: "high" },
  };
  const lookup = (ref: { provider: string; model: string }) => ref.model === opus.id ? opus : undefined;
  const withCatalog: SessionViewContext = {
    agents: builtInAgents,
    models: [],
    builtIn: lookup,
    activeRunIds: () => [],
  };
  const defaults = sessionDefaults(withCatalog, "main");
  assert.deepEqual([defaults.contextTokens, defaults.thinkingDefault], [1_000_000, "high"]);
  assert.deepEqual(defaults.thinkingOptions, ["off", "low", "high"]);
  const fresh = sessionRowView(withCatalog, "agent:main:main", "main", undefined);
  assert.deepEqual([fresh.contextTokens, fresh.thinkingDefault], [1_000_000, "high"]);
  // Without the catalog (or for a model it does not list) the configured-model fallbacks stay.
  const without = sessionDefaults({ ...withCatalog, builtIn: undefined }, "main");
  assert.deepEqual([without.contextTokens, without.thinkingDefault], [DEFAULT_CONTEXT_TOKENS, "off"]);
  // A configured entry of the same key wins over the built-in one.
  const configured = { ...opus, contextWindow: 64_000, thinking: undefined, reasoning: false };
  const own = sessionDefaults({ ...withCatalog, models: [configured] }, "main");
  assert.deepEqual([own.contextTokens, own.thinkingDefault], [64_000, "off"]);
});

Deno.test("a session with a run in flight says so: status running, hasActiveRun, its run ids", () => {
  const view = sessionRowView(ctx({ "agent:main:main": ["r1"] }), row.key, "main", row);
  assert.equal(view.status, "running");
  assert.equal(view.hasActiveRun, true);
  assert.deepEqual(view.activeRunIds, ["r1"]);
  const idle = sessionRowView(ctx(), row.key, "main", row);
  assert.equal("status" in idle, false);
  assert.equal(idle.hasActiveRun, false);
});

Deno.test("a fresh main session (no row yet) is described as the reference's chat.startup does", () => {
  const view = sessionRowView(ctx(), "agent:main:main", "main", undefined);
  assert.equal(view.updatedAt, null);
  assert.equal("sessionId" in view, false);
  for (const key of Object.keys(view)) {
    assert.ok(
      reference.sessionRowKeys!.includes(key) || reference.chatStartupFreshSessionInfoKeys!.includes(key),
      `${key} is not a reference key`,
    );
  }
});

Deno.test("defaults carry the agent's model and context window, with the reference's keys", () => {
  assert.deepEqual(Object.keys(sessionDefaults(ctx(), "main")).sort(), reference.sessionsListDefaultsKeys);
  assert.equal(sessionDefaults(ctx(), "main").model, "m1");
});

Deno.test("history messages carry the reference's keys; the assistant's usage, model and run id are ours", () => {
  const user = messageView({ role: "user", content: [{ type: "text", text: "hi" }], timestamp: 1, runId: "r" }, 1, "s");
  for (const key of Object.keys(user)) assert.ok(reference.historyUserMessageKeys!.includes(key), key);
  const answer = messageView(
    {
      role: "assistant",
      content: [{ type: "text", text: "yo" }],
      timestamp: 2,
      runId: "r",
      provider: "fake",
      model: "m1",
      stopReason: "stop",
      usage: { input: 3, output: 4, cacheRead: 2 },
      api: "openai-completions",
      responseId: "chatcmpl-1",
    },
    2,
    "s",
  );
  for (const key of Object.keys(answer)) assert.ok(reference.historyAssistantMessageKeys!.includes(key), key);
  assert.deepEqual(answer.usage, {
    input: 3,
    output: 4,
    totalTokens: 7,
    cacheRead: 2,
    cacheWrite: 0,
    cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0 },
  });
  assert.deepEqual([answer.api, answer.responseId], ["openai-completions", "chatcmpl-1"]);
  assert.deepEqual(answer.__openclaw, { runId: "r", id: "s:2", recordTimestampMs: 2, seq: 2 });
});

Deno.test("a history page keeps the newest messages within limit and maxBytes", () => {
  const views = Array.from({ length: 10 }, (_, i) => ({ i, pad: "x".repeat(100) }));
  assert.deepEqual(historyPage(views, 3, undefined).map((v) => v.i), [7, 8, 9]);
  const size = JSON.stringify(views[0]).length + 1;
  assert.deepEqual(historyPage(views, 10, 2 + size * 2).map((v) => v.i), [8, 9]);
});

Deno.test("models and agents are listed with the reference's keys", () => {
  const model = modelView(models[0]!, { provider: "fake", model: "m1" });
  assert.deepEqual(Object.keys(model).sort(), reference.modelKeys);
  assert.equal("tags" in modelView(models[0]!, undefined), false, "only the agent's own model is tagged default");
  const agent = agents.agents[0]!;
  // Recorded for the reference's Control UI, which declares the `agent-kind` cap.
  assert.deepEqual(Object.keys(agentSummary(agent, false, { kind: true })).sort(), reference.agentSummaryKeys);
  assert.equal("kind" in agentSummary(agent, false, { kind: false }), false, "kind only for the agent-kind cap");
});

Deno.test("input receipts: a written message is consumed by its id, a queued one pending, an unknown one left out", () => {
  const written = new Map([["r1", "s:1"]]);
  assert.deepEqual(inputReceipts(["r1", "r2", "r3", "r1"], written, ["r2"]), [
    { runId: "r1", state: "consumed", consumedByEventId: "s:1" },
    { runId: "r2", state: "pending" },
  ]);
});

Deno.test("a bare session key belongs to the default agent, as the reference canonicalizes it", () => {
  assert.equal(canonicalKey("main", "main"), "agent:main:main");
  assert.equal(canonicalKey("agent:ops:main", "main"), "agent:ops:main");
});

Deno.test("a user message carries the idempotency key its client sent (`<runId>:user`)", () => {
  const user = messageView({ role: "user", content: [{ type: "text", text: "hi" }], timestamp: 1, runId: "r" }, 1, "s");
  assert.equal(user.idempotencyKey, "r:user");
  assert.deepEqual(user.__openclaw, { id: "s:1", idempotencyKey: "r:user", recordTimestampMs: 1, seq: 1 });
  assert.equal(user.content, "hi");
  const owned = messageView(
    { role: "user", content: [{ type: "text", text: "hi" }], timestamp: 1, runId: "r", senderIsOwner: true },
    1,
    "s",
  );
  assert.equal((owned.__openclaw as Record<string, unknown>).senderIsOwner, true);
});

Deno.test("sessionRowView() says hasAutomation for a session a cron job is bound to, as the reference's row", () => {
  const bound = { ...ctx(), hasAutomation: (key: string) => key === "agent:main:main" };
  assert.equal(sessionRowView(bound, row.key, "main", row).hasAutomation, true);
  assert.equal(sessionRowView(bound, "agent:main:other", "main", undefined).hasAutomation, false);
  assert.equal(sessionRowView(ctx(), row.key, "main", row).hasAutomation, false, "no scheduler: none");
});

Deno.test("a routed session's row carries its chat as the reference's does: channel, deliveryContext, last*", async () => {
  // The reference's row of a Telegram DM, as its session.message event carried it to `openclaw mcp serve`.
  const recorded = JSON.parse(
    await Deno.readTextFile(new URL("../../fixtures/mcp/reference_mcp_serve.json", import.meta.url)),
  ) as { steps: { step: string; answer: { structuredContent: { event: { raw: Record<string, unknown> } } } }[] };
  const raw = recorded.steps.find((s) => s.step === "events_wait, a live message")!.answer.structuredContent.event.raw;
  const routed: SessionRow = { ...row, route: { channel: "telegram", to: "4242", accountId: "default" } };
  const view = sessionRowView(ctx(), row.key, "main", routed, 3000);
  const keys = ["channel", "deliveryContext", "lastChannel", "lastTo", "lastAccountId"];
  for (const key of keys) assert.ok(key in raw, `${key} is in the reference's row`);
  assert.deepEqual(Object.fromEntries(keys.map((k) => [k, view[k]])), {
    channel: "telegram",
    deliveryContext: { channel: "telegram", to: "4242", accountId: "default" },
    lastChannel: "telegram",
    lastTo: "4242",
    lastAccountId: "default",
  });
  assert.deepEqual(raw.deliveryContext, { channel: "telegram", to: "telegram:4242", accountId: "default" });
  const plain = sessionRowView(ctx(), row.key, "main", row, 3000);
  assert.equal(keys.some((k) => k in plain), false, "a session without a route has none of them");
});
