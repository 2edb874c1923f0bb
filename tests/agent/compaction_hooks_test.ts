import assert from "node:assert/strict";
import { compactionAfter, compactionBefore } from "../../src/agent/compaction_hooks.ts";
import { type InternalHookEvent, InternalHooks } from "../../src/agent/internal_hooks.ts";

Deno.test("compaction hooks are awaited, carry the reference's keys and hand non-blank replies to the caller", async () => {
  const hooks = new InternalHooks({ error: () => {} } as never);
  const seen: InternalHookEvent[] = [];
  hooks.replace([{
    event: "session",
    handler: async (event) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push(event);
      event.messages.push(`${event.action} note`, "  ");
    },
  }]);
  const delivered: [string, string[]][] = [];
  const onMessages = (phase: string, messages: string[]) => void delivered.push([phase, messages]);
  await compactionBefore(hooks, "agent:main:main", {
    sessionId: "s1",
    messageCount: 4,
    tokenCount: 900,
    messageCountOriginal: 5,
    tokenCountOriginal: 1000,
  }, onMessages);
  // Awaited: the handler (which waits first) has run when the call returns.
  assert.equal(seen.length, 1);
  assert.deepEqual(Object.keys(seen[0]!.context).sort(), [
    "messageCount",
    "messageCountOriginal",
    "missingSessionKey",
    "sessionId",
    "tokenCount",
    "tokenCountOriginal",
  ]);
  await compactionAfter(hooks, "agent:main:main", {
    sessionId: "s1",
    messageCount: 2,
    tokensBefore: 900,
    tokensAfter: 200,
    compactedCount: 3,
    summaryLength: 40,
    firstKeptEntryId: "e9",
  }, onMessages);
  assert.deepEqual(seen[1]!.context, {
    sessionId: "s1",
    missingSessionKey: false,
    messageCount: 2,
    tokenCount: 200,
    compactedCount: 3,
    summaryLength: 40,
    tokensBefore: 900,
    tokensAfter: 200,
    firstKeptEntryId: "e9",
  });
  assert.deepEqual(delivered, [["before", ["compact:before note"]], ["after", ["compact:after note"]]]);
});

Deno.test("with no compaction listener nothing is built or delivered", async () => {
  const hooks = new InternalHooks({ error: () => {} } as never);
  hooks.replace([{ event: "session:patch", handler: () => {} }]);
  let called = false;
  await compactionBefore(hooks, "k", {
    sessionId: undefined,
    messageCount: 0,
    tokenCount: undefined,
    messageCountOriginal: 0,
    tokenCountOriginal: undefined,
  }, () => void (called = true));
  assert.equal(called, false);
});
