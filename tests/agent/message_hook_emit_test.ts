import assert from "node:assert/strict";
import { type InternalHookEvent, InternalHooks } from "../../src/agent/internal_hooks.ts";
import {
  emitMessagePreprocessed,
  emitMessageReceived,
  observeInternalHook,
} from "../../src/agent/message_hook_emit.ts";
import { emitSessionPatch } from "../../src/agent/session_patch_hook.ts";

/** A log that drops what it is given. */
function quietLog() {
  return { error: () => {} } as never;
}

const FACTS = { from: "", content: "hi", channelId: "webchat", conversationId: "k", isGroup: false };

Deno.test("observeInternalHook() returns before a slow handler ends, and builds no context when nobody listens", async () => {
  const hooks = new InternalHooks(quietLog());
  let built = 0;
  observeInternalHook(hooks, { type: "message", action: "received", sessionKey: "k" }, () => {
    built++;
    return {};
  });
  assert.equal(built, 0);
  let release!: () => void;
  const gate = new Promise<void>((resolve) => release = resolve);
  let finished = false;
  hooks.replace([{
    event: "message",
    handler: async () => {
      await gate;
      finished = true;
    },
  }]);
  emitMessageReceived(hooks, "k", FACTS);
  assert.equal(finished, false);
  release();
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(finished, true);
});

Deno.test("a throwing message handler is logged as the reference's 'Hook error [message:received]'", async () => {
  const lines: string[] = [];
  const hooks = new InternalHooks({ error: (line: string) => void lines.push(line) } as never);
  hooks.replace([{ event: "message:received", handler: () => Promise.reject(new Error("boom")) }]);
  emitMessageReceived(hooks, "k", FACTS);
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(lines, ["Hook error [message:received]: boom"]);
});

Deno.test("emitMessagePreprocessed() emits transcribed first only when there is a transcript; the family gets both", () => {
  const hooks = new InternalHooks(quietLog());
  const seen: string[] = [];
  hooks.replace([{ event: "message", handler: (event: InternalHookEvent) => void seen.push(event.action) }]);
  emitMessagePreprocessed(hooks, "k", FACTS, {});
  emitMessagePreprocessed(hooks, "k", { ...FACTS, transcript: "words" }, {});
  assert.deepEqual(seen, ["preprocessed", "transcribed", "preprocessed"]);
});

Deno.test("emitSessionPatch() hands handlers a clone: editing it changes nothing the caller holds", () => {
  const hooks = new InternalHooks(quietLog());
  const entry = { sessionId: "s", label: "before" };
  let got: InternalHookEvent | undefined;
  hooks.replace([{
    event: "session:patch",
    handler: (event: InternalHookEvent) => {
      got = event;
      (event.context.sessionEntry as { label: string }).label = "edited";
    },
  }]);
  emitSessionPatch(
    hooks,
    "agent:main:main",
    () => ({ sessionEntry: entry, patch: { key: "agent:main:main" }, cfg: {} }),
  );
  assert.equal(entry.label, "before");
  assert.deepEqual(Object.keys(got!.context), ["sessionEntry", "patch", "cfg"]);
  assert.equal(got!.sessionKey, "agent:main:main");
});
