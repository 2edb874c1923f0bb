// `set-heartbeats` as the reference answers `openclaw system heartbeat enable|disable`.
import assert from "node:assert/strict";
import { heartbeatSwitchMethods } from "../../../src/rpc/methods/heartbeat_switch.ts";
import { callMethod, payloadOf } from "../../support/method_call.ts";

Deno.test("set-heartbeats switches the heartbeat and echoes it; a missing flag and a read-only caller are refused", async () => {
  const switched: boolean[] = [];
  const table = heartbeatSwitchMethods({ setEnabled: (enabled) => switched.push(enabled) });
  assert.deepEqual(await payloadOf(table, "set-heartbeats", { enabled: false }), { ok: true, enabled: false });
  assert.deepEqual(await payloadOf(table, "set-heartbeats", { enabled: true }), { ok: true, enabled: true });
  assert.deepEqual(switched, [false, true]);
  const missing = await callMethod(table, "set-heartbeats", {});
  assert.equal(!missing.ok && missing.error.message, "invalid set-heartbeats params: enabled (boolean) required");
  const read = await callMethod(table, "set-heartbeats", { enabled: true }, ["operator.read"]);
  assert.equal(!read.ok && read.error.message, "missing scope: operator.admin");
});
