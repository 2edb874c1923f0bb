import assert from "node:assert/strict";
import { keptTelegramInbound, telegramInbound } from "../../../src/channels/telegram/inbound_message.ts";

const BOT = { id: 999000, username: "oc_test_bot" };

/** A row's payload as OpenClaw 2026.9.6 kept a Telegram DM in `channel_ingress_events` (recorded by hand). */
const REFERENCE_PAYLOAD = JSON.parse(
  '{"version":1,"updateId":1,"receivedAt":1796040377889,"update":{"update_id":1,"message":{"message_id":100,"date":1796040377,"from":{"id":42,"is_bot":false,"first_name":"User42","username":"user42"},"chat":{"id":42,"type":"private","first_name":"User42"},"text":"hello reference"}}}',
);

Deno.test("telegram inbound: the reference's kept update envelope reads as the message it carried", () => {
  assert.deepEqual(keptTelegramInbound(REFERENCE_PAYLOAD, BOT, "default"), {
    channel: "telegram",
    accountId: "default",
    messageId: "42:100",
    peerKind: "direct",
    senderId: "42",
    senderAliases: [],
    senderName: "user42",
    senderUsername: "user42",
    groupId: undefined,
    replyTo: "42",
    text: "hello reference",
    mentioned: true,
  });
  // Anything without a text message's shape is not read.
  assert.equal(keptTelegramInbound({ update: { "update_id": 2 } }, BOT, "default"), undefined);
  assert.equal(keptTelegramInbound({ update: "x" }, BOT, "default"), undefined);
  assert.equal(keptTelegramInbound({}, BOT, "default"), undefined);
});

Deno.test("telegram inbound: a group message mentioning the bot loses the mention; bots and non-text are not conversation", () => {
  const update = {
    "update_id": 5,
    message: {
      "message_id": 7,
      date: 1,
      from: { id: 7, "is_bot": false, "first_name": "Seven" },
      chat: { id: -100777, type: "supergroup" as const, title: "g" },
      text: "@OC_test_bot help",
    },
  };
  const message = telegramInbound(update, BOT, "work");
  assert.equal(message?.peerKind, "group");
  assert.equal(message?.groupId, "-100777");
  assert.equal(message?.text, "help");
  assert.equal(message?.mentioned, true);
  assert.equal(message?.senderName, "Seven");
  assert.equal(
    telegramInbound(
      { ...update, message: { ...update.message, from: { ...update.message.from, "is_bot": true } } },
      BOT,
      "work",
    ),
    undefined,
  );
  assert.equal(telegramInbound({ "update_id": 6 }, BOT, "work"), undefined);
});
