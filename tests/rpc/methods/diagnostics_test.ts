import assert from "node:assert/strict";
import { diagnosticsMethods } from "../../../src/rpc/methods/diagnostics.ts";
import { callMethod, payloadOf } from "../../support/method_call.ts";

Deno.test("diagnostics.lanes reports the running turns in the reference's lane shape", async () => {
  let activity = { active: 0, queued: 0 };
  const table = diagnosticsMethods({ activity: () => activity, now: () => 42 });
  const idle = await payloadOf(table, "diagnostics.lanes");
  assert.deepEqual(idle, {
    ts: 42,
    lanes: [{
      lane: "main",
      queuedCount: 0,
      activeCount: 0,
      maxConcurrent: 1,
      draining: false,
      generation: 0,
      blockedBy: null,
    }],
    dynamic: null,
  });
  activity = { active: 2, queued: 1 };
  const busy = (await payloadOf(table, "diagnostics.lanes")) as { lanes: Record<string, unknown>[] };
  assert.deepEqual([busy.lanes[0]!.activeCount, busy.lanes[0]!.queuedCount], [2, 1]);
});

Deno.test("diagnostics.stability: no recorded events, in the shape `openclaw gateway stability` reads", async () => {
  const table = diagnosticsMethods({
    activity: () => ({ active: 0, queued: 0 }),
    now: () => Date.parse("2026-11-30T00:00:00Z"),
  });
  assert.deepEqual(await payloadOf(table, "diagnostics.stability", { limit: 25 }), {
    generatedAt: "2026-11-30T00:00:00.000Z",
    capacity: 0,
    count: 0,
    dropped: 0,
    events: [],
    summary: { byType: {} },
  });
  const bad = await callMethod(table, "diagnostics.stability", { bogus: true });
  assert.equal(!bad.ok && bad.error.code, "INVALID_REQUEST");
});
