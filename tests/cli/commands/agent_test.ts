// `openclaw agent` in-process: which runs need a session selector, what plain output prints for a
// finished run, and the reference's hint when the gateway went silent mid-turn.
import assert from "node:assert/strict";
import { replyLines, sessionSelection, transportLossHint } from "../../../src/cli/commands/agent.ts";
import { GatewayTransportError } from "../../../src/client/rpc_client.ts";

const NO_TARGET = "No target session selected. Use --agent <id>, --session-key <key>, --session-id <id>, or " +
  "--to <E.164>. Run openclaw agents list to see agents.";

Deno.test("openclaw agent: without a selector it refuses, unless session.scope is global with a sole agent", () => {
  const sole = { ids: ["main"], defaultId: "main" };
  assert.throws(() => sessionSelection({}, sole), { message: NO_TARGET });
  assert.throws(() => sessionSelection({}, { ...sole, globalScope: false }), { message: NO_TARGET });
  assert.throws(() => sessionSelection({}, { ids: ["main", "ops"], defaultId: "main", globalScope: true }), {
    message: NO_TARGET,
  });
  assert.deepEqual(sessionSelection({}, { ...sole, globalScope: true }), { agentId: "main" });
  assert.deepEqual(sessionSelection({ agent: "main" }, sole), { agentId: "main" });
});

Deno.test("openclaw agent: plain output names a missing reply only for a run that did not end ok", () => {
  assert.deepEqual(replyLines({ status: "ok", summary: "completed", result: { payloads: [] } }), []);
  assert.deepEqual(replyLines({ status: "ok", result: { payloads: [{ text: "" }] } }), []);
  assert.deepEqual(replyLines({ status: "ok", result: { payloads: [{ text: "hi\n" }, { text: "there" }] } }), [
    "hi",
    "there",
  ]);
  assert.deepEqual(replyLines({ status: "error", summary: "failed", result: { payloads: [] } }), ["failed"]);
  assert.deepEqual(replyLines({ status: "error" }), ["No reply from agent."]);
  // A timed-out turn prints its payloads: the reference's timeout text among them.
  assert.deepEqual(
    replyLines({ status: "timeout", result: { payloads: [{ text: "Request timed out", isError: true }] } }),
    [
      "Request timed out",
    ],
  );
});

Deno.test("openclaw agent: the reference's hint when the gateway call timed out or closed mid-turn", () => {
  const check = "Check `openclaw gateway status` and the session transcript before retrying or rerunning with " +
    "--local, so the turn does not execute twice.";
  const timeout = new GatewayTransportError("timeout", "agent did not answer within 40000ms.", "timeout");
  assert.equal(
    transportLossHint(timeout, "run-7"),
    "Gateway agent call timed out; the Gateway may still be running this turn (accepted run run-7; use " +
      `--timeout <seconds> to extend the CLI wait). ${check}`,
  );
  assert.equal(
    transportLossHint(timeout, undefined),
    `Gateway agent call timed out; the Gateway may still be running this turn. ${check}`,
  );
  const closed = new GatewayTransportError("closed", "Gateway closed the connection (1006).", "1006");
  assert.equal(
    transportLossHint(closed, "run-7"),
    `Gateway agent call connection closed; the Gateway may still be running this turn (accepted run run-7). ${check}`,
  );
});
