// The approval lists: this gateway runs no exec, plugin or system-agent tools that ask for approval,
// so every list is empty in the reference's shapes (bare arrays for the pending lists), and the exec
// approvals policy is the reference's "no policy stored" snapshot.
import { join } from "node:path";
import { emptyParams, type MethodTable, validated } from "../registry.ts";

/** Dependencies of the approval methods. */
export interface ApprovalsDeps {
  stateDir: string;
}

/** The `exec.approvals.get` payload when no policy is stored (the reference's missing-row snapshot). */
export async function execApprovalsPayload(stateDir: string) {
  const digest = await crypto.subtle.digest("SHA-256", new Uint8Array());
  const empty = [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return {
    path: `${join(stateDir, "state", "openclaw.sqlite")}#exec_approvals_config`,
    exists: false,
    file: { version: 1, defaults: {}, agents: {} },
    hash: `missing:${empty}`,
    // This gateway runs no host commands at all: the effective policy is deny.
    resolvedDefaults: { security: "deny", ask: "off", askFallback: "deny", autoAllowSkills: false },
  };
}

/** The approval lists, `approval.history`, `exec.approval.grants.list` and `exec.approvals.get`. */
export function approvalsMethods(deps: ApprovalsDeps): MethodTable {
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
    "exec.approvals.get": validated(
      "operator.admin",
      "validateExecApprovalsGetParams",
      () => execApprovalsPayload(deps.stateDir),
    ),
  };
}
