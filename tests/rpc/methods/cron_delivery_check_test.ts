import assert from "node:assert/strict";
import { announceChannelProblem, channelSetup } from "../../../src/rpc/methods/cron_delivery_check.ts";
import { cronMethods } from "../../../src/rpc/methods/cron.ts";
import { ProtocolValidators } from "../../../src/rpc/validators.ts";
import { FakeCron } from "../../support/fake_cron.ts";
import { callMethod } from "../../support/method_call.ts";

Deno.test("an announce channel is checked against the channels the config sets up, in the reference's words", () => {
  const irc = channelSetup({ irc: { host: "127.0.0.1" }, telegram: { enabled: false, botToken: "x" }, defaults: {} });
  assert.deepEqual(irc, { configured: ["irc"], hasEntries: true });
  assert.equal(announceChannelProblem({ mode: "announce", channel: "irc", to: "#ops" }, irc), undefined);
  assert.equal(announceChannelProblem({ channel: "last" }, irc), undefined);
  assert.equal(announceChannelProblem({ mode: "webhook", channel: "slack" }, irc), undefined);
  assert.equal(
    announceChannelProblem({ mode: "announce", channel: "telegram", to: "1" }, irc),
    "delivery.channel must be one of: irc",
  );
  const none = channelSetup(undefined);
  assert.equal(
    announceChannelProblem({ channel: "telegram", to: "1" }, none),
    undefined,
    "a known channel, set up later",
  );
  assert.equal(announceChannelProblem({ channel: "pigeon" }, none), "delivery.channel is not a known channel: pigeon");
  const off = channelSetup({ irc: { enabled: false, host: "h" } });
  assert.equal(announceChannelProblem({ channel: "irc" }, off), "delivery.channel is not configured: irc");
});

Deno.test("cron.add refuses an announce job on a channel this gateway does not run", async () => {
  const table = cronMethods({
    stateDir: "/state",
    cron: () => new FakeCron(),
    defaultAgentId: () => "main",
    validators: new ProtocolValidators(),
    processInstanceId: "p",
    now: Date.now,
    channels: () => ({ configured: ["irc"], hasEntries: true }),
  });
  const result = await callMethod(table, "cron.add", {
    name: "x",
    schedule: { kind: "every", everyMs: 60000 },
    sessionTarget: "isolated",
    payload: { kind: "agentTurn", message: "hi" },
    delivery: { mode: "announce", channel: "telegram", to: "1" },
  });
  assert.equal(!result.ok && result.error.message, "invalid cron.add params: delivery.channel must be one of: irc");
});
