// The Terminal page with terminals disabled, as the reference answers it.
import assert from "node:assert/strict";
import { terminalMethods } from "../../../src/rpc/methods/terminal.ts";
import { callMethod, payloadOf } from "../../support/method_call.ts";

Deno.test("terminal.open is refused as disabled; terminal.resize resizes nothing", async () => {
  const open = await callMethod(terminalMethods(), "terminal.open", { agentId: "main", cols: 144, rows: 70 });
  assert.deepEqual(!open.ok && [open.error.code, open.error.message], ["UNAVAILABLE", "terminal is disabled"]);
  const resize = { sessionId: "3673b424-a62c-4bb9-898c-6f22aabae6b9", cols: 144, rows: 70 };
  assert.deepEqual(await payloadOf(terminalMethods(), "terminal.resize", resize), { ok: false });
  const read = await callMethod(terminalMethods(), "terminal.resize", resize, ["operator.read"]);
  assert.equal(!read.ok && read.error.message, "missing scope: operator.admin");
});
