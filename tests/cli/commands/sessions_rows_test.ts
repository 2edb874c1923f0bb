import assert from "node:assert/strict";
import {
  formatAge,
  formatKeyCell,
  formatTokenCount,
  formatTokensCell,
} from "../../../src/cli/commands/sessions_cells.ts";
import {
  displayModel,
  policySessionKey,
  recordedChatType,
  type RowContext,
  sessionKind,
  sessionListRow,
} from "../../../src/cli/commands/sessions_rows.ts";

const ctx: RowContext = {
  defaultModel: (id) =>
    id === "work"
      ? { provider: "anthropic", model: "claude-sonnet-4-6" }
      : { provider: "openai", model: "gpt-6-astra" },
  contextWindow: (m) => m.model === "qwen-7b" ? 32000 : undefined,
  fallbackContextTokens: 200_000,
  now: 1_000_000_000,
};

Deno.test("token counts: whole below 1,000, k with one decimal below 10k, whole k, then m", () => {
  assert.deepEqual([999, 1234, 9999, 10_000, 200_000, 999_999, 1_000_000, 32_000].map(formatTokenCount), [
    "999",
    "1.2k",
    "10.0k",
    "10k",
    "200k",
    "1.0m",
    "1.0m",
    "32k",
  ]);
  assert.equal(formatTokensCell({ contextTokens: 200_000, totalTokens: null }, 1), "unknown/200k (?%)");
  assert.equal(
    formatTokensCell({ contextTokens: 200_000, totalTokens: 50_000, totalTokensFresh: true }, 1),
    "50k/200k (25%)",
  );
  assert.equal(
    formatTokensCell({ contextTokens: 200_000, totalTokens: 50_000, totalTokensFresh: false }, 1),
    "50k/200k (?%)",
  );
});

Deno.test("keys over 26 graphemes show their first 16 and last 6; ages round as the reference's", () => {
  assert.equal(formatKeyCell("agent:main:scratch-1"), "agent:main:scratch-1");
  assert.equal(
    formatKeyCell("agent:main:a-very-long-session-key-that-should-be-truncated-in-table"),
    "agent:main:a-ver...-table",
  );
  assert.equal(formatKeyCell(`agent:main:${"語".repeat(20)}`), `agent:main:${"語".repeat(5)}...${"語".repeat(6)}`);
  const now = 10_000_000_000;
  assert.deepEqual(
    [now - 29_000, now - 90_000, now - 3 * 3_600_000, now - 72 * 3_600_000].map((t) => formatAge(t, now)),
    [
      "just now",
      "2m ago",
      "3h ago",
      "3d ago",
    ],
  );
  assert.equal(formatAge(null, now), "unknown");
});

Deno.test("a row's kind reads the chat type our entries record in delivery, as the reference's top-level one", () => {
  const delivery = (chatType: string) => ({
    delivery: {
      kind: "external",
      route: { channel: "telegram", target: { to: "telegram:-5", chatType } },
      context: { channel: "telegram", to: "telegram:-5" },
      origin: { provider: "telegram", surface: "telegram", chatType, to: "telegram:-5" },
    },
  });
  assert.equal(sessionKind("agent:main:room", delivery("group")), "group");
  assert.equal(sessionKind("agent:main:room", delivery("channel")), "group");
  assert.equal(sessionKind("agent:main:room", delivery("direct")), "direct");
  assert.equal(sessionKind("agent:main:room", { origin: { chatType: "group" } }), "group");
  assert.equal(sessionKind("agent:main:room", { chatType: "group" }), "group");
  assert.equal(recordedChatType({ chatType: "channel", ...delivery("group") }), "channel");
});

Deno.test("kinds and display models follow the reference's precedence", () => {
  assert.equal(sessionKind("global", {}), "global");
  assert.equal(sessionKind("agent:main:cron:nightly", {}), "cron");
  assert.equal(sessionKind("agent:main:x", { spawnedBy: "agent:main:main" }), "spawn-child");
  assert.equal(sessionKind("agent:main:telegram:group:1", {}), "group");
  assert.equal(sessionKind("agent:main:x", {}), "direct");
  const fallback = { provider: "openai", model: "gpt-6-astra" };
  assert.deepEqual(displayModel({ modelOverride: "m", providerOverride: "p", model: "r" }, fallback), {
    provider: "p",
    model: "m",
  });
  assert.deepEqual(displayModel({ model: "r", modelProvider: "q" }, fallback), { provider: "q", model: "r" });
  assert.deepEqual(displayModel({}, fallback), fallback);
});

Deno.test("a JSON row has the reference's keys in its order, undefined ones left out", () => {
  const row = sessionListRow(
    {
      sessionKey: "agent:work:main",
      entry: { sessionId: "s1", updatedAt: 999_000_000, label: "L", thinkingLevel: "high", inputTokens: 5, extra: 1 },
    },
    "work",
    ctx,
  );
  assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(row.json))), [
    "key",
    "updatedAt",
    "ageMs",
    "sessionId",
    "label",
    "visibility",
    "thinkingLevel",
    "inputTokens",
    "totalTokens",
    "totalTokensFresh",
    "model",
    "modelProvider",
    "contextTokens",
    "agentId",
    "acpRuntime",
    "agentRuntime",
    "kind",
  ]);
  assert.equal(row.json.ageMs, 1_000_000);
  assert.deepEqual(row.json.agentRuntime, { id: "auto", source: "implicit" });
  assert.equal(row.runtimeLabel, "OpenClaw Default");
  assert.equal(row.flags, "think:high visibility:shared id:s1");
  const openai = sessionListRow({ sessionKey: "agent:main:x", entry: { contextTokens: 64_000 } }, "main", ctx);
  assert.deepEqual(openai.json.agentRuntime, { id: "codex", source: "implicit" });
  assert.equal(openai.json.contextTokens, 64_000);
  assert.equal(openai.json.updatedAt, null);
  assert.equal(openai.json.ageMs, null);
});

Deno.test("a direct chat in the main session shows the reference's per-account-channel-peer policy key", () => {
  const delivery = {
    kind: "external",
    context: { channel: "telegram", to: "telegram:123" },
    origin: { provider: "telegram", surface: "telegram", chatType: "direct", from: "telegram:123", to: "telegram:123" },
  };
  assert.equal(policySessionKey("agent:main:main", "main", { delivery }), "agent:main:telegram:default:direct:123");
  assert.equal(policySessionKey("agent:main:telegram:direct:123", "main", { delivery }), undefined);
  const group = { ...delivery, origin: { ...delivery.origin, chatType: "group" } };
  assert.equal(policySessionKey("agent:main:main", "main", { delivery: group }), undefined);
  const row = sessionListRow({ sessionKey: "agent:main:main", entry: { delivery, sessionId: "s" } }, "main", ctx);
  assert.equal(row.json.runtimePolicySessionKey, "agent:main:telegram:default:direct:123");
  assert.equal(row.flags, "visibility:shared policy:agent:main:telegram:default:direct:123 id:s");
});
