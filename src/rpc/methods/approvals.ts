// The approval lists: this gateway runs no exec, plugin or system-agent tools that ask for approval,
// so every list is empty in the reference's shapes (bare arrays for the pending lists).
import { emptyParams, type MethodTable, validated } from "../registry.ts";

/** `exec.approval.list`, `plugin.approval.list`, `openclaw.approval.list`, `approval.history`, `exec.approval.grants.list`. */
export function approvalsMethods(): MethodTable {
  const pending = { scope: "operator.approvals", check: emptyParams, handler: () => [] };
  return {
    "exec.approval.list": pending,
    "plugin.approval.list": pending,
    "openclaw.approval.list": pending,
    "approval.history": validated("operator.approvals", "validateApprovalHistoryParams", () => ({ items: [] })),
    "exec.approval.grants.list": validated(
      "operator.approvals",
      "validateExecApprovalGrantsListParams",
      () => ({ grants: [] }),
    ),
  };
}
