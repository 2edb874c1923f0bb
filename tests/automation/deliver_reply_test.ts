import assert from "node:assert/strict";
import { createDeliverReply, NO_PREVIOUS_CHANNEL, resolveTarget } from "../../src/automation/deliver_reply.ts";

const last = { channel: "irc", to: "#ops", accountId: "work" };

Deno.test("resolveTarget: last takes the session's route; an explicit channel keeps its own target", () => {
  assert.deepEqual(resolveTarget({ channel: "last" }, last), { channel: "irc", to: "#ops", accountId: "work" });
  assert.deepEqual(resolveTarget({ channel: "last", to: "#other" }, last), {
    channel: "irc",
    to: "#other",
    accountId: "work",
  });
  assert.deepEqual(resolveTarget({ channel: "irc" }, last), { channel: "irc", to: "#ops", accountId: "work" });
  // The last chat of another channel is never used as this channel's target.
  assert.deepEqual(resolveTarget({ channel: "telegram" }, last), {
    channel: "telegram",
    to: undefined,
    accountId: undefined,
  });
  // A provider-prefixed target picks its own channel (the outbound side reads the prefix).
  assert.deepEqual(resolveTarget({ channel: "last", to: "telegram:42" }, last), {
    channel: undefined,
    to: "telegram:42",
    accountId: undefined,
  });
  assert.deepEqual(resolveTarget({ channel: "last" }, undefined), {
    channel: undefined,
    to: undefined,
    accountId: undefined,
  });
});

Deno.test("DeliverReply sends to the resolved route and reports where it went", async () => {
  const sent: unknown[] = [];
  const deliver = createDeliverReply({
    lastRoute: (sessionKey, agentId) => {
      assert.equal(sessionKey, "agent:main:main");
      assert.equal(agentId, "main");
      return Promise.resolve(last);
    },
    send: (request) => {
      sent.push({
        channel: request.channel,
        to: request.to,
        accountId: request.accountId,
        text: request.text,
        sessionKey: request.sessionKey,
      });
      return Promise.resolve({ channel: "irc", to: request.to, accountId: request.accountId ?? "default" });
    },
  });
  const report = await deliver({
    target: { channel: "last" },
    text: "the answer",
    agentId: "main",
    sessionKey: "agent:main:main",
  });
  assert.deepEqual(report, { status: "delivered", channel: "irc", to: "#ops", accountId: "work" });
  // The delivering session goes with the send: its outcome is that session's message:sent.
  assert.deepEqual(sent, [
    { channel: "irc", to: "#ops", accountId: "work", text: "the answer", sessionKey: "agent:main:main" },
  ]);
});

Deno.test("DeliverReply never throws: no route, no target and a failed send are reports", async () => {
  const failing = createDeliverReply({
    lastRoute: () => Promise.resolve(undefined),
    send: () => Promise.reject(new Error("Cannot send on irc account default: it is not running.")),
  });
  const base = { text: "x", agentId: "main", sessionKey: "agent:main:main" };
  assert.deepEqual(await failing({ ...base, target: { channel: "last" } }), {
    status: "not-delivered",
    error: NO_PREVIOUS_CHANNEL,
  });
  assert.deepEqual(await failing({ ...base, target: { channel: "irc" } }), {
    status: "not-delivered",
    error: "Delivering to irc requires target",
    channel: "irc",
  });
  assert.deepEqual(await failing({ ...base, target: { channel: "irc", to: "#a" } }), {
    status: "not-delivered",
    error: "Cannot send on irc account default: it is not running.",
    channel: "irc",
    to: "#a",
  });
  const broken = createDeliverReply({
    lastRoute: () => Promise.reject(new Error("database is locked")),
    send: () => Promise.reject(new Error("unreachable")),
  });
  const report = await broken({ ...base, target: { channel: "last" } });
  assert.equal(report.status, "not-delivered");
  assert.equal(report.error, "database is locked");
});
