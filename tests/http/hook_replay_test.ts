import assert from "node:assert/strict";
import { replayKey } from "../../src/http/hook_replay.ts";

Deno.test("hook replays: a replay key is a fixed-size digest of path, dispatch scope and idempotency key", () => {
  const big = { message: "x".repeat(200_000), agentId: "main" };
  const key = replayKey("idem-1", "agent", big);
  assert.ok(key !== undefined && key.length <= 200, `a remembered 200 KB message costs ${key?.length} bytes of key`);
  assert.equal(replayKey("idem-1", "agent", { ...big }), key, "the same request gives the same key");
  assert.notEqual(replayKey("idem-2", "agent", big), key);
  assert.notEqual(replayKey("idem-1", "gmail", big), key);
  assert.notEqual(replayKey("idem-1", "agent", { ...big, agentId: "ops" }), key);
  assert.equal(replayKey(undefined, "agent", big), undefined, "no idempotency key, no replay");
});
