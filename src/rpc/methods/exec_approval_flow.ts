// The pending exec approval methods, on the gateway's approval queue: `exec.approval.list`, `.get`,
// `.request` (clients filing one; two-phase as the reference), `.waitDecision` and `.resolve`, with the
// reference's payloads and error texts. Runs of this gateway file theirs through ExecApprovals.
import {
  type ApprovalDecision,
  type ApprovalRecord,
  type ExecApprovalQueue,
  PENDING_LIMIT,
} from "../../agent/exec_approval_queue.ts";
import { analyzeCommand } from "../../agent/exec_command_parse.ts";
import { isOneOf } from "../../config/literal_choice.ts";
import { sanitizeApprovalDisplayText } from "../../log/approval_display_text.ts";
import { isJsonObject } from "../../log/json_object.ts";
import { RpcError } from "../errors.ts";
import { type CallerIdentity, type MethodTable, validated } from "../registry.ts";

/** What the flow methods need. */
export interface ExecApprovalFlowDeps {
  queue: ExecApprovalQueue;
  /** Whether an operator client that may answer is connected, leaving out `excludeConnId` (the requester). */
  hasApprovalClients(excludeConnId?: string): boolean;
}

const DEFAULT_TIMEOUT_MS = 1_800_000;
const DECISIONS: readonly ApprovalDecision[] = ["allow-once", "allow-always", "deny"];

/** The reference's "not found" refusal for an approval id. */
export function approvalNotFound(): RpcError {
  return new RpcError("INVALID_REQUEST", "unknown or expired approval id", {
    details: {
      reason: "APPROVAL_NOT_FOUND",
      remediation: "Re-request the action; pending approvals are cleared after expiry or restart.",
    },
  });
}

/** A pending approval as the lists show it. */
export function listedApproval(record: ApprovalRecord) {
  const { id, request, createdAtMs, expiresAtMs } = record;
  return { id, request, createdAtMs, expiresAtMs, approvalKind: "exec" };
}

function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() ? value.trim() : null;
}

function allowedDecisionsFor(ask: unknown, unavailable: unknown): ApprovalDecision[] {
  const base: ApprovalDecision[] = ask === "always" ? ["allow-once", "deny"] : ["allow-once", "allow-always", "deny"];
  const dropped = Array.isArray(unavailable) ? unavailable : [];
  return base.filter((d) => d !== "allow-always" || !dropped.includes(d));
}

/** The longest ask a client may file: the timer ceiling (2^31-1 ms, about 24.8 days). */
const MAX_CLIENT_TIMEOUT_MS = 2_147_483_647;

/** The display summary of a command (the reference's `commandAnalysis`); null when it cannot be parsed. */
function commandAnalysisOf(command: string) {
  const analysis = analyzeCommand(command);
  return analysis.ok
    ? { commandCount: analysis.segments.length, nestedCommandCount: 0, riskKinds: [], warningLines: [] }
    : null;
}

/** The resolver label the reference records: the client's display name or id. */
function resolvedByOf(caller: CallerIdentity): string {
  return caller.clientId;
}

/** Resolves one approval for a caller; shared by `exec.approval.resolve` and the chat `/approve`. */
export function resolveApproval(
  deps: ExecApprovalFlowDeps,
  id: string,
  decision: string,
  by: { resolvedBy: string | null; resolver: ApprovalRecord["resolver"] },
): { ok: true } {
  if (!isOneOf(DECISIONS, decision)) throw new RpcError("INVALID_REQUEST", "invalid decision");
  const found = deps.queue.findPending(id.trim());
  if (found === "ambiguous") throw new RpcError("INVALID_REQUEST", "ambiguous approval id prefix; use the full id");
  const record = found ?? deps.queue.get(id.trim());
  if (!record) throw approvalNotFound();
  if (!record.terminalReason && !record.request.allowedDecisions.includes(decision)) {
    throw new RpcError("INVALID_REQUEST", "allow-always is unavailable for this command", {
      details: { reason: "APPROVAL_ALLOW_ALWAYS_UNAVAILABLE" },
    });
  }
  const outcome = deps.queue.resolve(record.id, decision, by);
  if (outcome === "missing") throw approvalNotFound();
  if (outcome === "conflict") {
    if (record.terminalReason && record.terminalReason !== "user") throw approvalNotFound();
    throw new RpcError("INVALID_REQUEST", "approval already resolved", {
      details: { reason: "APPROVAL_ALREADY_RESOLVED" },
    });
  }
  return { ok: true };
}

/** `exec.approval.list`, `.get`, `.request`, `.waitDecision`, `.resolve`. */
export function execApprovalFlowMethods(deps: ExecApprovalFlowDeps): MethodTable {
  const { queue } = deps;
  return {
    "exec.approval.list": {
      scope: "operator.approvals",
      check: (params) => (params === undefined || isJsonObject(params) ? undefined : "params must be an object"),
      handler: () => queue.list().map(listedApproval),
    },
    "exec.approval.get": validated("operator.approvals", "validateExecApprovalGetParams", ({ params }) => {
      const record = queue.findPending(params.id.trim());
      if (record === "ambiguous") {
        throw new RpcError("INVALID_REQUEST", "ambiguous approval id prefix; use the full id");
      }
      if (!record) throw approvalNotFound();
      return {
        id: record.id,
        commandText: sanitizeApprovalDisplayText(record.request.command),
        commandPreview: null,
        allowedDecisions: record.request.allowedDecisions,
        host: record.request.host ?? null,
        nodeId: record.request.nodeId ?? null,
        agentId: record.request.agentId ?? null,
        expiresAtMs: record.expiresAtMs,
      };
    }),
    "exec.approval.request": validated("operator.approvals", "validateExecApprovalRequestParams", async (call) => {
      const p = call.params as Record<string, unknown>;
      const host = text(p.host) ?? "";
      if (host === "node") throw new RpcError("INVALID_REQUEST", "nodeId is required for host=node");
      const command = text(p.command);
      if (!command) throw new RpcError("INVALID_REQUEST", "command is required");
      const explicitId = text(p.id);
      if (explicitId?.startsWith("plugin:")) {
        throw new RpcError("INVALID_REQUEST", "approval ids starting with plugin: are reserved");
      }
      if (explicitId && queue.get(explicitId)) throw new RpcError("INVALID_REQUEST", "approval id already pending");
      if (queue.list().length >= PENDING_LIMIT) {
        throw new RpcError(
          "UNAVAILABLE",
          `${PENDING_LIMIT} approvals are already pending; resolve some or let them expire first`,
        );
      }
      // A client's timeout is bounded: setTimeout fires at once past 2^31-1 ms, and zero/negative is no ask.
      const timeoutMs = typeof p.timeoutMs === "number" && Number.isFinite(p.timeoutMs)
        ? Math.min(Math.max(Math.trunc(p.timeoutMs), 1), MAX_CLIENT_TIMEOUT_MS)
        : DEFAULT_TIMEOUT_MS;
      const record = queue.create(
        {
          command,
          commandArgv: Array.isArray(p.commandArgv) ? p.commandArgv.map(String) : undefined,
          systemRunBinding: null,
          systemRunPlan: null,
          cwd: text(p.cwd),
          nodeId: null,
          host: host || null,
          security: text(p.security),
          ask: text(p.ask),
          warningText: text(p.warningText),
          scope: null,
          commandAnalysis: commandAnalysisOf(command),
          allowedDecisions: allowedDecisionsFor(p.ask, p.unavailableDecisions),
          agentId: text(p.agentId),
          resolvedPath: text(p.resolvedPath),
          sessionKey: text(p.sessionKey),
          sessionId: text(p.sessionId),
          runId: text(p.runId),
          toolCallId: text(p.toolCallId),
          turnSourceChannel: text(p.turnSourceChannel),
          turnSourceTo: text(p.turnSourceTo),
          turnSourceAccountId: text(p.turnSourceAccountId),
          turnSourceThreadId: p.turnSourceThreadId ?? null,
          cronExecutionSource: null,
          cronOperationBinding: null,
        },
        timeoutMs,
        explicitId ?? undefined,
      );
      const ended = queue.wait(record.id)!;
      const routed = p.suppressDelivery !== true && deps.hasApprovalClients(call.caller.connId);
      if (!routed && p.requireDeliveryRoute !== false) queue.cancel(record.id, "no-route");
      else if (p.twoPhase === true) {
        call.accept({
          status: "accepted",
          id: record.id,
          deliveryRoute: routed ? "approval-client" : "none",
          createdAtMs: record.createdAtMs,
          expiresAtMs: record.expiresAtMs,
        });
      }
      const final = await ended;
      return {
        id: record.id,
        decision: final.decision ?? null,
        createdAtMs: record.createdAtMs,
        expiresAtMs: record.expiresAtMs,
      };
    }),
    "exec.approval.waitDecision": {
      scope: "operator.approvals",
      check: (params) => (isJsonObject(params) && typeof params.id === "string" ? undefined : "id is required"),
      handler: async ({ params }) => {
        const id = text((params as { id: string }).id) ?? "";
        if (!id) throw new RpcError("INVALID_REQUEST", "id is required");
        const ended = queue.wait(id);
        if (!ended) throw new RpcError("INVALID_REQUEST", "approval expired or not found");
        const record = await ended;
        return {
          id,
          decision: record.decision ?? null,
          createdAtMs: record.createdAtMs,
          expiresAtMs: record.expiresAtMs,
          terminalReason: record.terminalReason,
        };
      },
    },
    "exec.approval.resolve": validated(
      "operator.approvals",
      "validateExecApprovalResolveParams",
      ({ params, caller }) =>
        resolveApproval(deps, params.id, params.decision, {
          resolvedBy: resolvedByOf(caller),
          resolver: caller.deviceId
            ? { kind: "device", id: caller.deviceId }
            : { kind: "runtime", id: caller.clientId },
        }),
    ),
  };
}
