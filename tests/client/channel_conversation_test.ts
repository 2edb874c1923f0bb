import assert from "node:assert/strict";
import { attachmentsOf, conversationOf, firstTextOf, messageIdOf } from "../../src/client/channel_conversation.ts";

Deno.test("conversationOf() reads the route from deliveryContext first, then the flat last* fields, then origin", () => {
  const row = {
    key: "agent:main:main",
    deliveryContext: { channel: "Telegram", to: "telegram:4242", accountId: "default" },
    lastChannel: "irc",
    lastTo: "other",
    origin: { provider: "slack", accountId: "x", threadId: 7 },
    displayName: "User4242",
    lastMessagePreview: "Hi",
    updatedAt: 5,
  };
  assert.deepEqual(JSON.parse(JSON.stringify(conversationOf(row))), {
    sessionKey: "agent:main:main",
    channel: "telegram",
    to: "telegram:4242",
    accountId: "default",
    threadId: 7,
    displayName: "User4242",
    lastMessagePreview: "Hi",
    updatedAt: 5,
  });
  assert.deepEqual(
    JSON.parse(JSON.stringify(conversationOf({ key: "k", lastChannel: "irc", lastTo: "#ops", lastThreadId: "t1" }))),
    { sessionKey: "k", channel: "irc", to: "#ops", threadId: "t1", updatedAt: null },
  );
});

Deno.test("conversationOf() lists no session without a channel or a recipient", () => {
  assert.equal(conversationOf({ key: "agent:main:main", updatedAt: 1 }), null);
  assert.equal(conversationOf({ key: "k", lastChannel: "telegram" }), null);
  assert.equal(conversationOf({ key: "k", lastTo: "4242", origin: {} }), null);
  assert.equal(conversationOf({ key: "k", channel: " ", lastTo: "4242" }), null);
  // The channel may come from the row's own `channel` or the origin's provider.
  assert.equal(conversationOf({ key: "k", channel: "irc", lastTo: "#a" })?.channel, "irc");
  assert.equal(conversationOf({ key: "k", origin: { provider: "Slack" }, lastTo: "C1" })?.channel, "slack");
});

Deno.test("messageIdOf() and firstTextOf() read what the bridge reports of a transcript message", () => {
  assert.equal(messageIdOf({ id: "m1", __openclaw: { id: "m2" } }), "m1");
  assert.equal(messageIdOf({ __openclaw: { id: "m2" } }), "m2");
  assert.equal(messageIdOf({ role: "user" }), undefined);
  assert.equal(firstTextOf({ content: "hello" }), "hello");
  assert.equal(firstTextOf({ content: [{ type: "text", text: "a" }, { type: "text", text: "b" }] }), "a");
  assert.equal(firstTextOf({ content: [{ type: "image" }] }), undefined);
  assert.equal(firstTextOf({ content: [] }), undefined);
  assert.equal(firstTextOf(null), undefined);
});

Deno.test("attachmentsOf() gives non-text blocks, then each persisted media fact that names something", () => {
  const message = {
    content: [{ type: "text", text: "see" }, { type: "image", data: "AAA", mimeType: "image/png" }],
    __openclaw: {
      media: [
        { url: "https://x/a.png", contentType: "image/png", kind: "image", width: undefined },
        { kind: "unknown" },
        { path: "/tmp/b.pdf", fileName: "b.pdf", size: null },
      ],
    },
  };
  assert.deepEqual(attachmentsOf(message), [
    { type: "image", data: "AAA", mimeType: "image/png" },
    { type: "openclaw_media", media: { url: "https://x/a.png", contentType: "image/png", kind: "image" } },
    { type: "openclaw_media", media: { path: "/tmp/b.pdf", fileName: "b.pdf" } },
  ]);
  assert.deepEqual(attachmentsOf({ content: "plain" }), []);
  assert.deepEqual(attachmentsOf(undefined), []);
});
