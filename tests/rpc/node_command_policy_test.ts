import assert from "node:assert/strict";
import {
  DEFAULT_DANGEROUS_NODE_COMMANDS,
  forbiddenInvoke,
  isAdminOnlyInvoke,
  NODE_ADMIN_ONLY_INVOKE_COMMANDS,
  NODE_EXEC_APPROVALS_COMMANDS,
  NODE_SYSTEM_RUN_COMMANDS,
  NODE_WORKER_PRIVATE_COMMANDS,
  policyRefusal,
  publicNodeCommands,
  requiredApproveScopes,
} from "../../src/rpc/node_command_policy.ts";

const NONE = { allow: [], deny: [] };

Deno.test("admin-only to invoke: the reference's browser proxy and file commands, plus the exec family", () => {
  assert.deepEqual(NODE_ADMIN_ONLY_INVOKE_COMMANDS, [
    "browser.proxy",
    "browser.proxy.upload.v1",
    "fs.listDir",
    "terminal.upload",
  ]);
  for (const command of [...NODE_ADMIN_ONLY_INVOKE_COMMANDS, ...NODE_SYSTEM_RUN_COMMANDS]) {
    assert.ok(isAdminOnlyInvoke(command), command);
  }
  assert.ok(!isAdminOnlyInvoke("canvas.present"));
});

Deno.test("approval scopes: admin for admin-only, exec and exec-approval commands; write for others; pairing for none", () => {
  for (
    const command of [...NODE_ADMIN_ONLY_INVOKE_COMMANDS, ...NODE_SYSTEM_RUN_COMMANDS, ...NODE_EXEC_APPROVALS_COMMANDS]
  ) {
    assert.deepEqual(requiredApproveScopes(["camera.list", command]), ["operator.pairing", "operator.admin"], command);
  }
  assert.deepEqual(requiredApproveScopes(["camera.list", "sms.send"]), ["operator.pairing", "operator.write"]);
  assert.deepEqual(requiredApproveScopes([]), ["operator.pairing"]);
});

Deno.test("private worker controls: all twelve refused by node.invoke and dropped from declared surfaces", () => {
  assert.equal(NODE_WORKER_PRIVATE_COMMANDS.length, 12);
  for (const command of NODE_WORKER_PRIVATE_COMMANDS) {
    assert.equal(forbiddenInvoke(command)?.message, "node.invoke does not allow private node controls", command);
  }
  assert.deepEqual(publicNodeCommands(["worker.launch.v1", "echo.test", " worker.status.v1 "]), ["echo.test"]);
});

Deno.test("exec-approval store commands are refused by node.invoke with the reference's pointer", () => {
  for (const command of NODE_EXEC_APPROVALS_COMMANDS) {
    const refusal = forbiddenInvoke(command);
    assert.equal(refusal?.message, "node.invoke does not allow system.execApprovals.*; use exec.approvals.node.*");
    assert.deepEqual(refusal?.toBody().details, { command });
  }
  assert.equal(forbiddenInvoke("system.run"), undefined);
});

Deno.test("dangerous defaults: refused unless gateway.nodes.commands.allow names them; deny wins over allow", () => {
  assert.deepEqual(DEFAULT_DANGEROUS_NODE_COMMANDS, [
    "camera.snap",
    "camera.clip",
    "camera.ptz.control",
    "screen.record",
    "contacts.add",
    "calendar.add",
    "reminders.add",
    "sms.send",
    "sms.search",
    "health.summary",
  ]);
  for (const command of DEFAULT_DANGEROUS_NODE_COMMANDS) {
    assert.equal(
      policyRefusal(command, NONE)?.message,
      `node command not allowed: "${command}" requires explicit gateway.nodes.commands.allow opt-in`,
    );
    assert.equal(policyRefusal(command, { allow: [command], deny: [] }), undefined);
  }
  assert.equal(policyRefusal("camera.list", NONE), undefined);
  assert.equal(
    policyRefusal("sms.send", { allow: ["sms.send"], deny: ["sms.send"] })?.message,
    'node command not allowed: "sms.send" is blocked by gateway.nodes.commands.deny',
  );
});
