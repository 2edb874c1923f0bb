import assert from "node:assert/strict";
import {
  type InboundHookFacts,
  messagePreprocessedContext,
  messageReceivedContext,
  messageSentContext,
  messageTranscribedContext,
} from "../../src/agent/message_hook_context.ts";

/** The reference's context keys, as its recording (tests/fixtures/hook_events/reference_events.jsonl) lists them. */
async function referenceKeys(key: string): Promise<string[]> {
  const text = await Deno.readTextFile(new URL("../fixtures/hook_events/reference_events.jsonl", import.meta.url));
  const line = text.split("\n").find((l) => l.includes(`"action":"${key}"`));
  return (JSON.parse(line!) as { contextKeys: string[] }).contextKeys;
}

const WEBCHAT: InboundHookFacts = {
  from: "",
  content: "hello there",
  channelId: "webchat",
  conversationId: "agent:main:main",
  messageId: "r-1",
  senderId: "cli",
  isGroup: false,
};

Deno.test("messageReceivedContext() has the reference's keys and its webchat values", async () => {
  const context = messageReceivedContext(WEBCHAT);
  assert.deepEqual(Object.keys(context).sort(), await referenceKeys("received"));
  // What the reference's hook wrote (JSON drops the undefined values).
  assert.deepEqual(JSON.parse(JSON.stringify(context)), {
    from: "",
    content: "hello there",
    channelId: "webchat",
    conversationId: "agent:main:main",
    messageId: "r-1",
    metadata: { provider: "webchat", surface: "webchat", senderId: "cli" },
  });
});

Deno.test("messagePreprocessedContext() has the reference's keys; bodyForAgent defaults to the body", async () => {
  const context = messagePreprocessedContext(WEBCHAT, { gateway: {} });
  assert.deepEqual(Object.keys(context).sort(), await referenceKeys("preprocessed"));
  assert.deepEqual(JSON.parse(JSON.stringify(context)), {
    from: "",
    body: "hello there",
    bodyForAgent: "hello there",
    channelId: "webchat",
    conversationId: "agent:main:main",
    messageId: "r-1",
    senderId: "cli",
    provider: "webchat",
    surface: "webchat",
    isGroup: false,
    cfg: { gateway: {} },
  });
});

Deno.test("media facts keep the public keys in order, with the first-file aliases and lists", () => {
  const facts: InboundHookFacts = {
    ...WEBCHAT,
    channelId: "telegram",
    isGroup: true,
    groupId: "telegram:-100",
    transcript: "water the plants",
    media: [
      { path: "/m/a.ogg", contentType: "audio/ogg", kind: "audio", transcribed: true },
      { path: "/m/b.png", kind: "image" },
    ],
  };
  const received = messageReceivedContext(facts);
  assert.deepEqual(received.media, [
    { path: "/m/a.ogg", contentType: "audio/ogg", kind: "audio", transcribed: true },
    { path: "/m/b.png", kind: "image" },
  ]);
  const metadata = received.metadata as Record<string, unknown>;
  assert.deepEqual(
    [metadata.mediaPath, metadata.mediaUrl, metadata.mediaType, metadata.mediaPaths, metadata.mediaTypes],
    ["/m/a.ogg", "/m/a.ogg", "audio/ogg", ["/m/a.ogg", "/m/b.png"], ["audio/ogg", "image"]],
  );
  const preprocessed = messagePreprocessedContext(facts, undefined);
  assert.deepEqual([preprocessed.isGroup, preprocessed.groupId, preprocessed.transcript], [
    true,
    "telegram:-100",
    "water the plants",
  ]);
  assert.equal(messageTranscribedContext(facts, undefined).transcript, "water the plants");
  assert.equal(messageTranscribedContext({ ...facts, transcript: undefined }, undefined).transcript, "");
});

Deno.test("messageSentContext() sets error only on a failure and the conversation to the target", () => {
  const ok = messageSentContext({ to: "irc:alice", content: "hi", success: true, channelId: "irc", accountId: "a" });
  assert.deepEqual(JSON.parse(JSON.stringify(ok)), {
    to: "irc:alice",
    content: "hi",
    success: true,
    channelId: "irc",
    accountId: "a",
    conversationId: "irc:alice",
  });
  assert.equal("error" in ok, false);
  const failed = messageSentContext({
    to: "irc:#room",
    content: "hi",
    success: false,
    error: "socket closed",
    channelId: "irc",
    isGroup: true,
    groupId: "irc:#room",
  });
  assert.deepEqual([failed.success, failed.error, failed.isGroup, failed.groupId], [
    false,
    "socket closed",
    true,
    "irc:#room",
  ]);
});
