import assert from "node:assert/strict";
import type { AccountPool } from "../../src/channels/account_pool.ts";
import { Outbound } from "../../src/channels/outbound.ts";
import { type InternalHookEvent, InternalHooks } from "../../src/agent/internal_hooks.ts";
import { getLogger } from "../../src/log/logger.ts";

/** A pool with one running IRC account whose sends succeed, or fail with `failWith`. */
function fakePool(failWith?: string): AccountPool {
  const kind = { id: "irc", targetPrefixes: ["irc"] };
  const account = {
    textChunkLimit: 400,
    send: () => failWith ? Promise.reject(new Error(failWith)) : Promise.resolve({ messageId: "m-1" }),
  };
  return {
    kinds: [kind],
    kind: (id: string) => id === "irc" ? kind : undefined,
    section: () => ({ defaultAccountId: "default", accounts: [{ accountId: "default" }] }),
    running: () => ({ account }),
  } as unknown as AccountPool;
}

function recorder(): { hooks: InternalHooks; seen: InternalHookEvent[] } {
  const hooks = new InternalHooks(getLogger("test"));
  const seen: InternalHookEvent[] = [];
  hooks.replace([{ event: "message:sent", handler: (event) => void seen.push(event) }]);
  return { hooks, seen };
}

Deno.test("Outbound.send: a send for a session emits that session's message:sent with the reference's fields", async () => {
  const { hooks, seen } = recorder();
  const outbound = new Outbound(fakePool(), undefined, hooks);
  await outbound.send({
    to: "#ops",
    message: " hello ",
    channel: "irc",
    idempotencyKey: "k-1",
    sessionKey: "agent:main:main",
  });
  // A repeated idempotency key is the first send's answer: nothing is sent, nothing observed.
  await outbound.send({
    to: "#ops",
    message: " hello ",
    channel: "irc",
    idempotencyKey: "k-1",
    sessionKey: "agent:main:main",
  });
  // Without a session there is no event.
  await outbound.send({ to: "#ops", message: "quiet", channel: "irc", idempotencyKey: "k-2" });
  await Promise.resolve();
  assert.equal(seen.length, 1);
  assert.equal(seen[0]!.sessionKey, "agent:main:main");
  assert.deepEqual(seen[0]!.context, {
    to: "#ops",
    content: "hello",
    success: true,
    channelId: "irc",
    accountId: "default",
    conversationId: "#ops",
    messageId: "m-1",
  });
});

Deno.test("Outbound.send: a failed delivery is message:sent with success false and the error; a refused request is none", async () => {
  const { hooks, seen } = recorder();
  const outbound = new Outbound(fakePool("connection reset"), undefined, hooks);
  await assert.rejects(
    outbound.send({ to: "#ops", message: "hi", channel: "irc", idempotencyKey: "k-3", sessionKey: "agent:main:main" }),
    /connection reset/,
  );
  await assert.rejects(
    outbound.send({ to: "#ops", message: "  ", channel: "irc", idempotencyKey: "k-4", sessionKey: "agent:main:main" }),
    /empty message/,
  );
  await Promise.resolve();
  assert.equal(seen.length, 1);
  assert.deepEqual([seen[0]!.context.success, seen[0]!.context.error], [false, "connection reset"]);
});
