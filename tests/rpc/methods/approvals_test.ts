import assert from "node:assert/strict";
import { validateApprovalHistoryResult } from "@openclaw/gateway-protocol";
import { approvalsMethods } from "../../../src/rpc/methods/approvals.ts";
import { callMethod, payloadOf } from "../../support/method_call.ts";

const table = approvalsMethods({ stateDir: "/state" });

Deno.test("approval lists answer the reference's empty shapes (bare arrays for the pending lists)", async () => {
  for (const method of ["exec.approval.list", "plugin.approval.list", "openclaw.approval.list"]) {
    assert.deepEqual(await payloadOf(table, method), [], method);
  }
  const history = await payloadOf(table, "approval.history", { limit: 50 });
  assert.deepEqual(history, { items: [] });
  assert.ok(validateApprovalHistoryResult(history));
  assert.deepEqual(await payloadOf(table, "exec.approval.grants.list"), { grants: [] });
});

Deno.test("exec.approvals.get is the reference's no-policy snapshot, deny by default", async () => {
  const snapshot = await payloadOf(table, "exec.approvals.get");
  assert.deepEqual(snapshot, {
    path: "/state/state/openclaw.sqlite#exec_approvals_config",
    exists: false,
    file: { version: 1, defaults: {}, agents: {} },
    hash: "missing:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    resolvedDefaults: { security: "deny", ask: "off", askFallback: "deny", autoAllowSkills: false },
  });
});

Deno.test("approval lists need operator.approvals; exec.approvals.get needs admin", async () => {
  const read = await callMethod(table, "exec.approval.list", {}, ["operator.read"]);
  assert.equal(!read.ok && read.error.message, "missing scope: operator.approvals");
  assert.ok((await callMethod(table, "exec.approval.list", {}, ["operator.approvals"])).ok);
  const get = await callMethod(table, "exec.approvals.get", {}, ["operator.approvals"]);
  assert.equal(!get.ok && get.error.message, "missing scope: operator.admin");
});
