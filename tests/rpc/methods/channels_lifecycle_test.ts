// `channels.stop` / `channels.start` through the real dispatcher and protocol validators, with a
// fake channel manager: the account named (or the section's default) is stopped and started, the
// answers carry the reference's fields, and unknown channels and undeclared accounts are refused or
// skipped in its words.
import assert from "node:assert/strict";
import type { DeclaredSection } from "../../../src/channels/catalog.ts";
import { channelsLifecycleMethods } from "../../../src/rpc/methods/channels_lifecycle.ts";
import { callMethod, payloadOf } from "../../support/method_call.ts";

function setup(enabled = true, accountEnabled?: boolean) {
  const calls: string[] = [];
  const running = new Set<string>(["telegram/work"]);
  const section: DeclaredSection = {
    enabled,
    defaultAccountId: "work",
    accounts: [{
      accountId: "work",
      settings: accountEnabled === undefined ? {} : { enabled: accountEnabled },
      create: () => Promise.reject(new Error("unused")),
    }],
  };
  const methods = channelsLifecycleMethods({
    channels: {
      declaredSection: (channel) => (channel === "telegram" ? section : undefined),
      isRunning: (channel, accountId) => running.has(`${channel}/${accountId}`),
      stopAccount: (channel, accountId) => {
        calls.push(`stop ${channel}/${accountId}`);
        running.delete(`${channel}/${accountId}`);
        return Promise.resolve();
      },
      startAccount: (channel, accountId) => {
        calls.push(`start ${channel}/${accountId}`);
        running.add(`${channel}/${accountId}`);
        return Promise.resolve();
      },
    },
    knownChannel: (channel) => ["telegram", "irc"].includes(channel),
  });
  return { calls, methods };
}

Deno.test("channels.stop then channels.start: the default account, the reference's answer fields", async () => {
  const { calls, methods } = setup();
  const stopped = await payloadOf(methods, "channels.stop", { channel: "telegram" });
  assert.deepEqual(stopped, { channel: "telegram", accountId: "work", stopped: true });
  const started = await payloadOf(methods, "channels.start", { channel: "Telegram", accountId: "work" });
  assert.deepEqual(started, {
    channel: "telegram",
    accountId: "work",
    started: true,
    outcome: { status: "handed-off" },
  });
  assert.deepEqual(calls, ["stop telegram/work", "start telegram/work"]);
});

Deno.test("channels.start skips undeclared or disabled accounts; unknown channels and bad params are refused", async () => {
  const { calls, methods } = setup(false);
  assert.deepEqual(
    ((await payloadOf(methods, "channels.start", { channel: "telegram" })) as { outcome: unknown }).outcome,
    {
      status: "skipped",
      reason: "disabled",
    },
  );
  assert.deepEqual(
    ((await payloadOf(methods, "channels.start", { channel: "irc", accountId: "x" })) as { outcome: unknown }).outcome,
    { status: "skipped", reason: "unconfigured" },
  );
  assert.deepEqual(calls, []);
  const unknown = await callMethod(methods, "channels.stop", { channel: "bogus" });
  assert.equal(unknown.ok, false);
  assert.equal(unknown.ok ? "" : unknown.error.message, "invalid channels.stop channel");
  const bad = await callMethod(methods, "channels.stop", { channel: "telegram", extra: 1 });
  assert.equal(bad.ok, false);
});

Deno.test("channels.start skips an account switched off on its own (`accounts.<id>.enabled: false`) as disabled", async () => {
  const { calls, methods } = setup(true, false);
  const answer = await payloadOf(methods, "channels.start", { channel: "telegram" });
  assert.deepEqual((answer as { outcome: unknown }).outcome, { status: "skipped", reason: "disabled" });
  assert.deepEqual(calls, []);
});
