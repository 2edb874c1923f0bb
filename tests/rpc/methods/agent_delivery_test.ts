import assert from "node:assert/strict";
import { RpcError } from "../../../src/rpc/errors.ts";
import {
  bestEffortOf,
  deliverPlanned,
  deliverySucceededOf,
  planDelivery,
  refuseUnknownChannel,
  refuseUnplannable,
} from "../../../src/rpc/methods/agent_delivery.ts";
import { configuredChatChannels } from "../../../src/config/chat_channels.ts";

const ROUTE = { channel: "telegram", to: "telegram:42", accountId: "default" };

/** The refusal `fn` throws, as `[code, message]`, or undefined when it throws none. */
function refusal(fn: () => void): [string, string] | undefined {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof RpcError);
    return [error.code, error.message];
  }
  return undefined;
}

Deno.test("an explicit target wins: replyTo over to, replyChannel over channel, with the route's channel", () => {
  assert.deepEqual(planDelivery({ to: "1", replyTo: "2", channel: "irc", replyChannel: "telegram" }, ROUTE, []), {
    kind: "send",
    channel: "telegram",
    to: "2",
    accountId: undefined,
  });
  assert.deepEqual(planDelivery({ to: "7" }, ROUTE, []), {
    kind: "send",
    channel: "telegram",
    to: "7",
    accountId: undefined,
  });
});

Deno.test("without a target the session's route serves, unless another channel is named", () => {
  assert.deepEqual(planDelivery({}, ROUTE, []), { kind: "send", ...ROUTE });
  assert.deepEqual(planDelivery({ channel: "last" }, ROUTE, []), { kind: "send", ...ROUTE });
  assert.deepEqual(planDelivery({ channel: "Telegram", replyAccountId: "work" }, ROUTE, []), {
    kind: "send",
    ...ROUTE,
    accountId: "work",
  });
  assert.deepEqual(planDelivery({ channel: "irc" }, ROUTE, ["irc", "telegram"]), {
    kind: "refused",
    reason: "invalid_delivery_target",
    message: "Delivering to IRC requires target",
  });
});

Deno.test("the one configured channel is chosen, and still needs a target", () => {
  assert.deepEqual(planDelivery({ to: "4242" }, undefined, ["telegram"]), {
    kind: "send",
    channel: "telegram",
    to: "4242",
    accountId: undefined,
  });
  assert.deepEqual(planDelivery({}, undefined, ["telegram"]), {
    kind: "refused",
    reason: "invalid_delivery_target",
    message: "Delivering to Telegram requires target <chatId>",
  });
});

Deno.test("no channel to choose is refused in the reference's words", () => {
  const none = planDelivery({ to: "x" }, undefined, []);
  assert.equal(none.kind, "refused");
  assert.match((none as { message: string }).message, /^Channel is required \(no configured channels detected\)\./);
  assert.deepEqual(planDelivery({}, undefined, ["irc", "telegram"]), {
    kind: "refused",
    reason: "channel_resolved_to_internal",
    message: "Channel is required when multiple channels are configured: irc, telegram. " +
      "Pass --channel <channel> to choose one.",
  });
});

Deno.test("unknown channels are refused; aliases, last and internal channels are known", () => {
  assert.deepEqual(refusal(() => refuseUnknownChannel({ channel: "Nope" })), [
    "INVALID_REQUEST",
    "invalid agent params: unknown channel: nope",
  ]);
  assert.deepEqual(refusal(() => refuseUnknownChannel({ replyChannel: "nope" })), [
    "INVALID_REQUEST",
    "invalid agent params: unknown channel: nope",
  ]);
  for (const channel of ["telegram", "teams", "last", "webchat", "  ", undefined]) {
    assert.equal(refusal(() => refuseUnknownChannel({ channel })), undefined, String(channel));
  }
});

Deno.test("a strict unplannable delivery is refused before its run; best effort runs", () => {
  const refused = planDelivery({}, undefined, []);
  assert.equal(refusal(() => refuseUnplannable(refused, {}))?.[0], "INVALID_REQUEST");
  assert.equal(refusal(() => refuseUnplannable(refused, { bestEffortDeliver: true })), undefined);
  assert.equal(refusal(() => refuseUnplannable(planDelivery({}, ROUTE, []), {})), undefined);
});

Deno.test("deliveryStatus reports sent, suppressed, refused and failed sends", async () => {
  const sent: unknown[] = [];
  const deliver = (target: unknown, text: string) => Promise.resolve(sent.push([target, text]));
  const plan = planDelivery({}, ROUTE, []);
  assert.deepEqual(await deliverPlanned(deliver, plan, {}, "hi"), {
    requested: true,
    attempted: true,
    status: "sent",
    succeeded: true,
    resultCount: 1,
    payloadOutcomes: [{ index: 0, status: "sent", resultCount: 1 }],
  });
  assert.deepEqual(sent, [[{ to: "telegram:42", channel: "telegram", accountId: "default" }, "hi"]]);
  assert.equal((await deliverPlanned(deliver, plan, {}, "  ")).status, "suppressed");
  const refused = await deliverPlanned(deliver, planDelivery({}, undefined, []), { bestEffortDeliver: true }, "hi");
  assert.deepEqual(refused, {
    requested: true,
    attempted: false,
    status: "failed",
    succeeded: false,
    error: true,
    reason: "channel_resolved_to_internal",
  });
  const failing = () => Promise.reject(new Error("chat not found"));
  const best = await deliverPlanned(failing, plan, { bestEffortDeliver: true }, "hi");
  assert.equal(best.errorMessage, "chat not found");
  await assert.rejects(
    deliverPlanned(failing, plan, {}, "hi"),
    (e) => e instanceof RpcError && e.code === "UNAVAILABLE",
  );
});

Deno.test("configured chat channels: in config order, disabled and unknown sections left out", () => {
  assert.deepEqual(
    configuredChatChannels({
      telegram: { botToken: "x" },
      irc: { enabled: false },
      discord: {},
      defaults: { groupPolicy: "open" },
      nope: {},
    }),
    ["telegram", "discord"],
  );
  assert.deepEqual(configuredChatChannels(undefined), []);
});

Deno.test("best effort: as asked, else on the agent's main session and global", () => {
  const main = { agentId: "main", sessionKey: "agent:main:main" };
  assert.equal(bestEffortOf({}, main), true);
  assert.equal(bestEffortOf({ bestEffortDeliver: false }, main), false);
  assert.equal(bestEffortOf({}, { agentId: "main", sessionKey: "main" }), true);
  assert.equal(bestEffortOf({}, { agentId: "ops", sessionKey: "global" }), true);
  assert.equal(bestEffortOf({}, { agentId: "main", sessionKey: "agent:main:work" }), false);
  assert.equal(bestEffortOf({}, { agentId: "ops", sessionKey: "agent:main:main" }), false);
  assert.equal(bestEffortOf({ bestEffortDeliver: true }, { agentId: "main", sessionKey: "agent:main:x" }), true);
});

Deno.test("webchat names no channel; other internal channels are refused", () => {
  assert.deepEqual(planDelivery({ channel: "webchat", to: "x" }, undefined, ["irc"]), {
    kind: "send",
    channel: "irc",
    to: "x",
    accountId: undefined,
  });
  assert.deepEqual(planDelivery({ channel: "heartbeat", to: "x" }, ROUTE, ["irc"]), {
    kind: "refused",
    reason: "channel_resolved_to_internal",
    message:
      "delivery channel is required: pass --channel/--reply-channel or use a main session with a previous channel",
  });
});

Deno.test("deliverySucceeded beside the status, as the reference's: true once sent, false when failed, absent when nothing was visible", () => {
  assert.deepEqual(deliverySucceededOf({ status: "sent", succeeded: true }), { deliverySucceeded: true });
  assert.deepEqual(deliverySucceededOf({ status: "failed", succeeded: false, reason: "no_delivery_target" }), {
    deliverySucceeded: false,
  });
  assert.deepEqual(deliverySucceededOf({ status: "suppressed", succeeded: false }), {});
});
