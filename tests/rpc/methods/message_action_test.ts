import assert from "node:assert/strict";
import { ChannelError } from "../../../src/channels/errors.ts";
import type { SendRequest } from "../../../src/channels/outbound.ts";
import { messageActionMethods, sendRequestOf } from "../../../src/rpc/methods/message_action.ts";
import { callMethod, payloadOf } from "../../support/method_call.ts";

const base = { channel: "telegram", idempotencyKey: "k-1" };

Deno.test("sendRequestOf: the target as written (else `to` without its channel prefix), text, files, thread", () => {
  assert.deepEqual(
    sendRequestOf({
      ...base,
      params: { target: "4242", to: "telegram:4242", message: "hi", pin: false, silent: false },
    }),
    { to: "4242", message: "hi", channel: "telegram", idempotencyKey: "k-1" },
  );
  assert.equal(sendRequestOf({ ...base, params: { to: "telegram:@chan", message: "hi" } }).to, "@chan");
  assert.equal(sendRequestOf({ ...base, params: { to: "-100123", message: "hi" } }).to, "-100123");
  const withFiles = sendRequestOf({
    ...base,
    accountId: "work",
    params: {
      target: "4242",
      media: ["/tmp/a.png", "/tmp/a.png"],
      mediaUrl: "https://example.test/b.jpg",
      threadId: 7,
      __agentId: "ops",
      __sessionKey: "agent:ops:main",
    },
  });
  assert.deepEqual(withFiles, {
    to: "4242",
    message: "",
    channel: "telegram",
    idempotencyKey: "k-1",
    accountId: "work",
    mediaUrls: ["/tmp/a.png", "https://example.test/b.jpg"],
    agentId: "ops",
    threadId: "7",
    sessionKey: "agent:ops:main",
  });
  assert.equal(sendRequestOf({ ...base, params: { target: "1", message: "x", threadId: null } }).threadId, undefined);
  // The params' own account wins over the request's.
  assert.equal(
    sendRequestOf({ ...base, accountId: "a", params: { target: "1", message: "x", accountId: "b" } }).accountId,
    "b",
  );
});

Deno.test("sendRequestOf refuses what it cannot deliver as asked: options no channel here has, no target, nothing to send", () => {
  assert.throws(
    () => sendRequestOf({ ...base, params: { target: "1", message: "x", pin: true, replyTo: "9" } }),
    /message\.action send: replyTo, pin are not supported by this gateway; send without them/,
  );
  assert.throws(() => sendRequestOf({ ...base, params: { message: "x" } }), /a target is required/);
  assert.throws(
    () => sendRequestOf({ ...base, params: { target: "1", message: "  " } }),
    /invalid send params: text or media is required/,
  );
});

Deno.test("message.action: send answers the reference's payload; other actions and channel failures are refused", async () => {
  const sent: SendRequest[] = [];
  const table = messageActionMethods({
    send: (request) => {
      sent.push(request);
      if (request.to === "down") {
        return Promise.reject(new ChannelError("unavailable", "Telegram account default is not running"));
      }
      return Promise.resolve({
        runId: "r",
        messageId: "103",
        channel: "telegram",
        accountId: "default",
        to: request.to,
        chunks: 1,
      });
    },
  });
  const params = {
    channel: "Telegram",
    action: "send",
    params: { target: "4242", message: "hi" },
    idempotencyKey: "k",
  };
  assert.deepEqual(await payloadOf(table, "message.action", params), {
    ok: true,
    messageId: "103",
    chatId: "4242",
    receipt: {},
  });
  assert.equal(sent[0]!.channel, "telegram");
  const react = await callMethod(table, "message.action", { ...params, action: "react" });
  assert.equal(!react.ok && react.error.message, "Channel telegram does not support action react.");
  const down = await callMethod(table, "message.action", { ...params, params: { target: "down", message: "hi" } });
  assert.equal(!down.ok && down.error.code, "UNAVAILABLE");
  const missing = await callMethod(table, "message.action", { channel: "telegram", action: "send", params: {} });
  assert.equal(missing.ok, false, "params without an idempotency key are refused by the protocol check");
  assert.equal(sent.length, 2);
});
