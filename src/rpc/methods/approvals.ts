// The approval methods: the exec approvals policy document (`exec.approvals.get`/`.set`, stored in
// the shared state database as the reference stores it, compare-and-swap on its hash), the pending
// exec approvals (exec_approval_flow.ts), `approval.history` of ended ones, and the lists of kinds
// this gateway never asks about (plugin and system-agent approvals, cron standing grants): empty.
import type { ApprovalRecord, ExecApprovalQueue } from "../../agent/exec_approval_queue.ts";
import type { ExecApprovalsFile } from "../../agent/exec_approvals_file.ts";
import {
  type ApprovalsLocation,
  approvalsPayload,
  ensureApprovals,
  readApprovals,
  updateApprovals,
  withSocketDefaults,
} from "../../agent/exec_approvals_store.ts";
import { sanitizeApprovalDisplayText } from "../../log/approval_display_text.ts";
import { RpcError } from "../errors.ts";
import { emptyParams, mergeMethods, type MethodTable, validated } from "../registry.ts";
import { execApprovalFlowMethods, resolveApproval } from "./exec_approval_flow.ts";

/** Dependencies of the approval methods. */
export interface ApprovalsDeps extends ApprovalsLocation {
  queue: ExecApprovalQueue;
  /** Whether an operator client that may answer is connected (leaving out one connection). */
  hasApprovalClients(excludeConnId?: string): boolean;
  /** The Control UI base path (`/approve/<id>` deep links). */
  controlUiBasePath(): string;
  /** The config file in force, as read (`resolvedDefaults` reports the enforced `tools.exec` policy). */
  rawConfig?(): Record<string, unknown>;
}

function changedSinceLoad(): RpcError {
  return new RpcError("INVALID_REQUEST", "exec approvals changed since last load; re-run exec.approvals.get and retry");
}

/** `exec.approvals.set`: the reference's base-hash rules, then the document replaced (socket kept). */
async function setApprovals(deps: ApprovalsDeps, file: ExecApprovalsFile, baseHash: string | undefined) {
  const snapshot = await readApprovals(deps);
  const wanted = baseHash?.trim() || undefined;
  if (!snapshot.exists) {
    if (wanted && wanted !== snapshot.hash) throw changedSinceLoad();
  } else {
    if (!wanted) {
      throw new RpcError("INVALID_REQUEST", "exec approvals base hash required; re-run exec.approvals.get and retry");
    }
    if (wanted !== snapshot.hash) throw changedSinceLoad();
  }
  const next = await updateApprovals(
    deps,
    (current) => withSocketDefaults(deps.stateDir, file, current),
    snapshot.hash,
  );
  if (!next) throw changedSinceLoad();
  return approvalsPayload(next, deps.rawConfig?.());
}

function presentationOf(record: ApprovalRecord) {
  const r = record.request;
  return {
    kind: "exec",
    commandText: sanitizeApprovalDisplayText(r.command),
    commandPreview: null,
    warningText: r.warningText,
    host: r.host,
    nodeId: r.nodeId,
    agentId: r.agentId,
    allowedDecisions: r.allowedDecisions,
  };
}

function statusOf(record: ApprovalRecord): "pending" | "allowed" | "denied" | "expired" | "cancelled" {
  if (!record.terminalReason) return "pending";
  if (record.terminalReason === "user") return record.decision === "deny" ? "denied" : "allowed";
  if (record.terminalReason === "timeout") return "expired";
  return record.terminalReason === "no-route" ? "denied" : "cancelled";
}

/** An approval as `approval.get`/`approval.history` show it (the reference's approval snapshot). */
export function approvalSnapshot(record: ApprovalRecord, basePath: string) {
  const status = statusOf(record);
  const common = {
    id: record.id,
    status,
    presentation: presentationOf(record),
    urlPath: `${basePath}/approve/${encodeURIComponent(record.id)}`,
    createdAtMs: record.createdAtMs,
    expiresAtMs: record.expiresAtMs,
  };
  if (status === "pending") return common;
  const r = record.request;
  return {
    ...common,
    resolvedAtMs: record.resolvedAtMs ?? record.createdAtMs,
    reason: record.terminalReason,
    ...(status === "allowed" || status === "denied" ? { decision: record.decision ?? "deny" } : {}),
    source: {
      ...(r.agentId ? { agentId: r.agentId } : {}),
      ...(r.sessionKey ? { sessionKey: r.sessionKey } : {}),
    },
    ...(record.resolver ? { resolver: record.resolver } : {}),
  };
}

function approvalNotFoundKindless(): RpcError {
  return new RpcError("INVALID_REQUEST", "approval not found", { details: { reason: "APPROVAL_NOT_FOUND" } });
}

/** The approval methods. */
export function approvalsMethods(deps: ApprovalsDeps): MethodTable {
  const none = { scope: "operator.approvals", check: emptyParams, handler: () => [] };
  return mergeMethods(
    execApprovalFlowMethods(deps),
    {
      "plugin.approval.list": none,
      "openclaw.approval.list": none,
      "approval.history": validated("operator.approvals", "validateApprovalHistoryParams", ({ params }) => {
        const all = params.kind && params.kind !== "exec" ? [] : deps.queue.history();
        const start = params.cursor ? Number(params.cursor) : 0;
        if (!Number.isInteger(start) || start < 0) {
          throw new RpcError("INVALID_REQUEST", "invalid approval.history cursor");
        }
        const limit = params.limit ?? 50;
        const page = all.slice(start, start + limit);
        const basePath = deps.controlUiBasePath();
        return {
          items: page.map((record) => approvalSnapshot(record, basePath)),
          ...(start + limit < all.length ? { nextCursor: String(start + limit) } : {}),
        };
      }),
      "approval.get": validated("operator.approvals", "validateApprovalGetParams", ({ params }) => {
        const record = deps.queue.get(params.id);
        if (!record) throw approvalNotFoundKindless();
        return { approval: approvalSnapshot(record, deps.controlUiBasePath()) };
      }),
      "approval.resolve": validated("operator.approvals", "validateApprovalResolveParams", ({ params, caller }) => {
        const record = deps.queue.get(params.id);
        if (!record || params.kind !== "exec") throw approvalNotFoundKindless();
        const basePath = deps.controlUiBasePath();
        if (record.terminalReason) return { applied: false, approval: approvalSnapshot(record, basePath) };
        resolveApproval(deps, record.id, params.decision, {
          resolvedBy: caller.clientId,
          resolver: caller.deviceId
            ? { kind: "device", id: caller.deviceId }
            : { kind: "runtime", id: caller.clientId },
        });
        return { applied: true, approval: approvalSnapshot(deps.queue.get(record.id)!, basePath) };
      }),
      "exec.approval.grants.list": validated(
        "operator.approvals",
        "validateExecApprovalGrantsListParams",
        () => ({ grants: [] }),
      ),
      // No standing grants are minted here (the list above is always empty), so none can be revoked.
      "exec.approval.grants.revoke": validated(
        "operator.approvals",
        "validateExecApprovalGrantsRevokeParams",
        () => ({ outcome: "not-found" }),
      ),
      "exec.approvals.get": validated(
        "operator.admin",
        "validateExecApprovalsGetParams",
        async () => approvalsPayload(await ensureApprovals(deps), deps.rawConfig?.()),
      ),
      "exec.approvals.set": validated(
        "operator.admin",
        "validateExecApprovalsSetParams",
        ({ params }) => setApprovals(deps, params.file as ExecApprovalsFile, params.baseHash),
      ),
    },
  );
}
