import assert from "node:assert/strict";
import { decideAccess } from "../../../src/channels/access.ts";
import { accessPolicy } from "../../../src/channels/accounts.ts";
import { routeInbound } from "../../../src/channels/routing.ts";
import { telegramInbound } from "../../../src/channels/telegram/inbound_message.ts";
import { parseTelegramTarget, telegramThreadParams, telegramTopicOf } from "../../../src/channels/telegram/topics.ts";
import { telegramThreadTarget } from "../../../src/channels/thread_targets.ts";
import type { RawBinding } from "../../../src/config/schema.ts";

const BOT = { id: 999000, username: "oc_test_bot" };
const FORUM = { id: -100555, type: "supergroup" as const, title: "Forum", "is_forum": true as const };

/** A text update from user 7 in the forum, in `thread` (absent: the General topic, as Telegram sends it). */
function inForum(text: string, thread?: number, extra: Record<string, unknown> = {}) {
  return {
    "update_id": 1,
    message: {
      "message_id": 50,
      date: 1,
      from: { id: 7, "is_bot": false, "first_name": "Seven", username: "seven" },
      chat: FORUM,
      text,
      ...(thread !== undefined ? { "message_thread_id": thread, "is_topic_message": true } : {}),
      ...extra,
    },
  };
}

const routing = { bindings: [] as RawBinding[], session: {}, defaultAgentId: "main" };

Deno.test("telegram topics: a forum topic is its own conversation, General is topic 1; plain groups have none", () => {
  assert.equal(telegramTopicOf({ chat: { type: "supergroup", "is_forum": true }, "message_thread_id": 42 }), 42);
  assert.equal(telegramTopicOf({ chat: { type: "supergroup", "is_forum": true } }), 1);
  // A topic message names its forum even when the chat omits is_forum (the reference's hint).
  assert.equal(
    telegramTopicOf({ chat: { type: "supergroup" }, "message_thread_id": 9, "is_topic_message": true }),
    9,
  );
  // A reply thread in a plain group, and anything in a DM, is no topic.
  assert.equal(telegramTopicOf({ chat: { type: "supergroup" }, "message_thread_id": 9 }), undefined);
  assert.equal(telegramTopicOf({ chat: { type: "private" }, "message_thread_id": 9 }), undefined);

  const topic = telegramInbound(inForum(`@${BOT.username} hi`, 42), BOT, "default")!;
  assert.equal(topic.threadId, "42");
  assert.equal(topic.replyTo, "-100555:topic:42");
  assert.equal(topic.groupId, "-100555");
  assert.equal(routeInbound(topic, routing).sessionKey, "agent:main:telegram:group:-100555:topic:42");

  // General: its own session (`:topic:1`), but replies go to the bare chat (Telegram refuses thread 1 for sends).
  const general = telegramInbound(inForum(`@${BOT.username} hi`), BOT, "default")!;
  assert.equal(general.threadId, "1");
  assert.equal(general.replyTo, "-100555");
  assert.equal(routeInbound(general, routing).sessionKey, "agent:main:telegram:group:-100555:topic:1");

  const plain = telegramInbound(
    {
      ...inForum("hi", 3),
      message: { ...inForum("hi", 3).message, chat: { id: -100777, type: "supergroup" as const, title: "g" } },
    },
    BOT,
    "default",
  )!;
  // A supergroup topic message still counts (is_topic_message); a plain group's reply thread does not.
  assert.equal(plain.threadId, "3");
  const group = telegramInbound(
    {
      "update_id": 2,
      message: {
        "message_id": 9,
        date: 1,
        from: { id: 7, "is_bot": false, "first_name": "Seven" },
        chat: { id: -5, type: "group" as const, title: "g" },
        text: "x",
        "message_thread_id": 3,
      },
    },
    BOT,
    "default",
  )!;
  assert.equal(group.threadId, undefined);
  assert.equal(routeInbound(group, routing).sessionKey, "agent:main:telegram:group:-5");
});

Deno.test("telegram topics: the topic's creation message is no reply to the bot; a real reply to it is", () => {
  const root = { "message_id": 42, date: 1, from: BOT, chat: FORUM, "forum_topic_created": { name: "t" } };
  const inTopic = telegramInbound(inForum("plain", 42, { "reply_to_message": root }), BOT, "default")!;
  assert.equal(inTopic.mentioned, false);
  const answer = { "message_id": 60, date: 1, from: BOT, chat: FORUM, text: "earlier answer" };
  const replied = telegramInbound(inForum("more", 42, { "reply_to_message": answer }), BOT, "default")!;
  assert.equal(replied.mentioned, true);
});

Deno.test("telegram topics: a binding to the topic's peer beats its group's; groupScope main folds topics in", () => {
  const topic = telegramInbound(inForum("hi", 42), BOT, "default")!;
  const bind = (agentId: string, id: string): RawBinding => ({
    agentId,
    match: { channel: "telegram", peer: { kind: "group", id } },
  });
  assert.equal(routeInbound(topic, { ...routing, bindings: [bind("grp", "-100555")] }).agentId, "grp");
  const both = [bind("grp", "-100555"), bind("zu", "-100555:topic:42")];
  assert.deepEqual(routeInbound(topic, { ...routing, bindings: both }), {
    agentId: "zu",
    sessionKey: "agent:zu:telegram:group:-100555:topic:42",
  });
  const other = telegramInbound(inForum("hi", 7), BOT, "default")!;
  assert.equal(routeInbound(other, { ...routing, bindings: both }).agentId, "grp");
  assert.equal(
    routeInbound(topic, { ...routing, session: { groupScope: "main" } }).sessionKey,
    "agent:main:main",
  );
});

Deno.test("telegram topics: a topic's entry overrides its group's requireMention, allowFrom and enabled", () => {
  const policy = accessPolicy({
    groups: {
      "-100555": {
        allowFrom: ["7"],
        topics: {
          "42": { requireMention: false },
          "43": { allowFrom: ["8"] },
          "44": { enabled: false },
          "*": { requireMention: true },
        },
      },
    },
  }, {});
  const decide = (text: string, thread?: number) =>
    decideAccess(policy, telegramInbound(inForum(text, thread), BOT, "default")!, []);
  assert.deepEqual(decide("no mention", 42), { action: "run" });
  assert.deepEqual(decide("no mention", 45), { action: "drop", reason: "missing-mention" });
  assert.deepEqual(decide("@oc_test_bot hi", 43), {
    action: "drop",
    reason: "group-sender-not-allowed (policy=allowlist)",
  });
  assert.deepEqual(decide("@oc_test_bot hi", 44), { action: "drop", reason: "group-disabled" });
  assert.deepEqual(decide("@oc_test_bot hi"), { action: "run" });
  // Only Telegram reads topics: a Slack thread of the same id is its group's.
  assert.deepEqual(
    decideAccess(policy, {
      channel: "slack",
      peerKind: "group",
      senderId: "7",
      senderAliases: [],
      groupId: "-100555",
      mentioned: false,
      threadId: "42",
    }, []),
    { action: "drop", reason: "missing-mention" },
  );
});

Deno.test("telegram topics: send targets name a topic; General and DM-less ids send no thread", () => {
  assert.deepEqual(parseTelegramTarget("-100555"), { chatId: -100555, topic: undefined });
  assert.deepEqual(parseTelegramTarget("-100555:topic:42"), { chatId: -100555, topic: 42 });
  assert.deepEqual(parseTelegramTarget("-100555:42"), { chatId: -100555, topic: 42 });
  assert.deepEqual(parseTelegramTarget("@news"), { chatId: "@news", topic: undefined });
  assert.throws(() => parseTelegramTarget("not a chat"), /not a Telegram chat id/);
  assert.deepEqual(telegramThreadParams({ chatId: -1, topic: 42 }), { "message_thread_id": 42 });
  assert.deepEqual(telegramThreadParams({ chatId: -1, topic: 1 }), {});
  assert.deepEqual(telegramThreadParams({ chatId: -1, topic: undefined }), {});
  assert.equal(telegramThreadTarget("-100555", "42"), "-100555:topic:42");
  // A `send`'s threadId names the topic over the target's; one that is no topic id is refused.
  assert.equal(telegramThreadTarget("-100555:topic:9", "42"), "-100555:topic:42");
  assert.throws(() => telegramThreadTarget("-100555", "abc"), /threadId "abc" is not a Telegram topic id/);
});

Deno.test("a target with the reference's route prefix (telegram:, tg:, group:) names the same chat and topic", () => {
  assert.deepEqual(parseTelegramTarget("telegram:4242"), { chatId: 4242, topic: undefined });
  assert.deepEqual(parseTelegramTarget("telegram:-100555:topic:42"), { chatId: -100555, topic: 42 });
  assert.deepEqual(parseTelegramTarget("tg:group:-100555"), { chatId: -100555, topic: undefined });
  assert.equal(telegramThreadTarget("telegram:4242", "7"), "telegram:4242:topic:7");
  assert.equal(telegramThreadTarget("telegram:-100555:topic:42", "43"), "telegram:-100555:topic:43");
  assert.equal(telegramThreadTarget("-100555", "43"), "-100555:topic:43");
});
