import assert from "node:assert/strict";
import { absentListsMethods } from "../../../src/rpc/methods/absent_lists.ts";
import { callMethod, payloadOf } from "../../support/method_call.ts";

const table = absentListsMethods();

Deno.test("absent features' lists answer what the reference answered with nothing there", async () => {
  // Params as the reference Control UI sent them; payloads as the reference answered.
  assert.deepEqual(await payloadOf(table, "worktrees.list"), { worktrees: [] });
  assert.deepEqual(await payloadOf(table, "transcripts.list", { limit: 50 }), { sessions: [], nextCursor: null });
  assert.deepEqual(await payloadOf(table, "portal.list"), { portals: [] });
  assert.deepEqual(await payloadOf(table, "openclaw.chat.history"), { turns: [] });
  // `openclaw audit` asks for the activity audit first, then the older list; the reference answered both empty.
  assert.deepEqual(await payloadOf(table, "audit.activity.list", { limit: 50 }), { events: [] });
  assert.deepEqual(await payloadOf(table, "audit.list", { limit: 50 }), { events: [] });
  const bad = await callMethod(table, "audit.list", { kind: "message" });
  assert.equal(!bad.ok && bad.error.code, "INVALID_REQUEST", "audit.list takes only its own kinds");
});

Deno.test("the assistant's chat needs admin, as in the reference", async () => {
  for (const method of ["openclaw.chat.history"]) {
    const read = await callMethod(table, method, {}, ["operator.read"]);
    assert.equal(!read.ok && read.error.message, "missing scope: operator.admin", method);
  }
  const stray = await callMethod(table, "transcripts.list", { bogus: 1 });
  assert.equal(!stray.ok && stray.error.code, "INVALID_REQUEST");
});
