import assert from "node:assert/strict";
import { routeInbound } from "../../src/channels/routing.ts";
import type { InboundMessage } from "../../src/channels/types.ts";
import type { RawBinding } from "../../src/config/schema.ts";

function message(overrides: Partial<InboundMessage> = {}): InboundMessage {
  return {
    channel: "irc",
    accountId: "default",
    messageId: "m1",
    peerKind: "direct",
    senderId: "Alice!a@h",
    senderAliases: [],
    senderName: "Alice",
    groupId: undefined,
    replyTo: "Alice",
    text: "hi",
    mentioned: true,
    ...overrides,
  };
}

const base = { bindings: [] as RawBinding[], session: {}, defaultAgentId: "main" };

Deno.test("routing: DMs share the main session unless dmScope splits them", () => {
  assert.deepEqual(routeInbound(message(), base), { agentId: "main", sessionKey: "agent:main:main" });
  const keys = (["per-peer", "per-channel-peer", "per-account-channel-peer"] as const).map((dmScope) =>
    routeInbound(message(), { ...base, session: { dmScope } }).sessionKey
  );
  assert.deepEqual(keys, [
    "agent:main:direct:alice!a@h",
    "agent:main:irc:direct:alice!a@h",
    "agent:main:irc:default:direct:alice!a@h",
  ]);
});

Deno.test("routing: groups get their own session; groupScope main folds them in", () => {
  const room = message({ peerKind: "channel", groupId: "#Room", replyTo: "#Room" });
  assert.equal(routeInbound(room, base).sessionKey, "agent:main:irc:channel:#room");
  const tg = message({ channel: "telegram", peerKind: "group", groupId: "-100123", replyTo: "-100123" });
  assert.equal(routeInbound(tg, base).sessionKey, "agent:main:telegram:group:-100123");
  assert.equal(routeInbound(room, { ...base, session: { groupScope: "main" } }).sessionKey, "agent:main:main");
});

Deno.test("routing: the most specific binding picks the agent, and can override the scope", () => {
  const bindings: RawBinding[] = [
    { agentId: "any-irc", match: { channel: "irc" } },
    { agentId: "work", match: { channel: "irc", accountId: "default" } },
    {
      agentId: "room",
      match: { channel: "irc", peer: { kind: "channel", id: "#room" } },
      session: { groupScope: "main" },
    },
    { agentId: "tg", match: { channel: "telegram" } },
  ];
  assert.equal(routeInbound(message(), { ...base, bindings }).agentId, "work");
  const room = routeInbound(message({ peerKind: "channel", groupId: "#room" }), { ...base, bindings });
  assert.deepEqual(room, { agentId: "room", sessionKey: "agent:room:main" });
  assert.equal(routeInbound(message({ accountId: "other" }), { ...base, bindings }).agentId, "any-irc");
  assert.equal(routeInbound(message({ channel: "telegram" }), { ...base, bindings: [] }).agentId, "main");
});

Deno.test("routing: a thread in a group has its own session under the group's (Slack's :thread:<ts>)", () => {
  const thread = message({
    channel: "slack",
    peerKind: "channel",
    groupId: "C0GENERAL",
    replyTo: "channel:C0GENERAL:thread:1700000000.000100",
    threadId: "1700000000.000100",
  });
  assert.equal(routeInbound(thread, base).sessionKey, "agent:main:slack:channel:c0general:thread:1700000000.000100");
  assert.equal(routeInbound(thread, { ...base, session: { groupScope: "main" } }).sessionKey, "agent:main:main");
});
