import assert from "node:assert/strict";
import { createInternalHookEvent } from "../../src/agent/internal_hooks.ts";
import { compactionNotifier } from "../../src/automation/hook_compaction_notifier.ts";

Deno.test("compactionNotifier pushes the reference's lines before and after a compaction", async () => {
  const before = createInternalHookEvent("session", "compact:before", "k", { messageCount: 42 });
  await compactionNotifier(before);
  assert.deepEqual(before.messages, ["🧹 Compacting context (42 messages) so I can continue without losing history…"]);
  const after = createInternalHookEvent("session", "compact:after", "k", { tokensBefore: 12345, tokensAfter: 2100 });
  await compactionNotifier(after);
  assert.deepEqual(after.messages, ["✅ Context compacted (12,345 → 2,100 tokens). Continuing from where I left off."]);
  const bare = createInternalHookEvent("session", "compact:after", "k", { tokensBefore: "x" });
  await compactionNotifier(bare);
  assert.deepEqual(bare.messages, ["✅ Context compacted. Continuing from where I left off."]);
  const other = createInternalHookEvent("command", "new", "k");
  await compactionNotifier(other);
  assert.deepEqual(other.messages, []);
});
