import assert from "node:assert/strict";
import { createInternalHookEvent, type InternalHookEvent, InternalHooks } from "../../src/agent/internal_hooks.ts";

function collectingLog() {
  const lines: string[] = [];
  return { lines, log: { error: (message: string) => void lines.push(message) } };
}

Deno.test("trigger() runs family handlers before exact ones, each awaited in registration order", async () => {
  const { log } = collectingLog();
  const hooks = new InternalHooks(log as never);
  const order: string[] = [];
  hooks.replace([
    { event: "command:new", handler: () => void order.push("exact-1") },
    {
      event: "command",
      handler: async () => {
        await Promise.resolve();
        order.push("family-1");
      },
    },
    { event: "command:new", handler: () => void order.push("exact-2") },
    { event: "command", handler: () => void order.push("family-2") },
  ]);
  await hooks.trigger(createInternalHookEvent("command", "new", "agent:main:main"));
  assert.deepEqual(order, ["family-1", "family-2", "exact-1", "exact-2"]);
});

Deno.test("trigger() logs a throwing handler as the reference does and still runs the later ones", async () => {
  const { lines, log } = collectingLog();
  const hooks = new InternalHooks(log as never);
  let ran = false;
  hooks.replace([
    { event: "command:stop", handler: () => Promise.reject(new Error("disk full")) },
    { event: "command:stop", handler: () => void (ran = true) },
  ]);
  await hooks.trigger(createInternalHookEvent("command", "stop", "agent:main:main"));
  assert.equal(ran, true);
  assert.deepEqual(lines, ["Hook error [command:stop]: disk full"]);
});

Deno.test("listens() is false with nothing loaded and true for a family or exact subscription", () => {
  const hooks = new InternalHooks(collectingLog().log as never);
  assert.equal(hooks.listens("command", "new"), false);
  hooks.replace([{ event: "session", handler: () => {} }, { event: "gateway:startup", handler: () => {} }]);
  assert.equal(hooks.listens("session", "auto-reset"), true);
  assert.equal(hooks.listens("gateway", "startup"), true);
  assert.equal(hooks.listens("gateway", "shutdown"), false);
});

Deno.test("an event already dispatching keeps its handlers when replace() installs a new generation", async () => {
  const hooks = new InternalHooks(collectingLog().log as never);
  const seen: string[] = [];
  hooks.replace([
    {
      event: "command",
      handler: () => void hooks.replace([{ event: "command", handler: () => void seen.push("new") }]),
    },
    { event: "command:new", handler: () => void seen.push("old") },
  ]);
  await hooks.trigger(createInternalHookEvent("command", "new", "k"));
  await hooks.trigger(createInternalHookEvent("command", "new", "k"));
  assert.deepEqual(seen, ["old", "new"]);
});

Deno.test("createInternalHookEvent() gives the reference's shape: empty messages, a Date, the context as given", () => {
  const event: InternalHookEvent = createInternalHookEvent("gateway", "startup", "gateway:startup", {
    workspaceDir: "/w",
  });
  assert.deepEqual(Object.keys(event).sort(), ["action", "context", "messages", "sessionKey", "timestamp", "type"]);
  assert.deepEqual(event.messages, []);
  assert.ok(event.timestamp instanceof Date);
  assert.deepEqual(event.context, { workspaceDir: "/w" });
});
