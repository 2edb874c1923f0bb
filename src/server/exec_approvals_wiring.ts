// Wires exec approvals into the gateway: one approval queue whose events go to the operators'
// clients, and the ExecApprovals runs use, loaded on first use (a gateway that never runs a host
// command never loads the allowlist code). Pending ask texts reach the run's own chat.
import type { ExecApprovalQueue } from "../agent/exec_approval_queue.ts";
import { ExecApprovalQueue as Queue } from "../agent/exec_approval_queue.ts";
import type { GatewayExecApprovals } from "../agent/exec_approvals.ts";
import type { ExecApprovals, RunOrigin } from "../agent/tool.ts";
import type { ChannelManager } from "../channels/manager.ts";
import { execApprovalsForwarding } from "../config/approvals_forwarding.ts";
import { configuredExecPolicy } from "../config/exec_policy_config.ts";
import type { Hub } from "../protocol/hub.ts";
import type { DatabaseSync } from "node:sqlite";

/** What the wiring needs from the gateway. */
export interface ExecApprovalsWiringDeps {
  hub: Hub;
  stateDir: string;
  stateDb(): Promise<DatabaseSync>;
  send: ChannelManager["send"];
  /** The gateway process's PATH and home (bare command names resolve as the exec tool's shell would). */
  pathEnv(): string;
  home: string;
  /** The config file in force, as read (`approvals.exec` forwarding is read from it per ask). */
  rawConfig(): Record<string, unknown>;
}

/** The queue, the runs' ExecApprovals, and whether an operator can answer now. */
export interface ExecApprovalsWiring {
  queue: ExecApprovalQueue;
  approvals: ExecApprovals;
  hasApprovalClients(excludeConnId?: string): boolean;
}

/** Builds the gateway's exec approvals. */
export function wireExecApprovals(deps: ExecApprovalsWiringDeps): ExecApprovalsWiring {
  // Approval events go to approval clients only, as the reference delivers them.
  const queue = new Queue({ emit: (event, payload) => deps.hub.sendTo(deps.hub.approvalClientIds(), event, payload) });
  const hasApprovalClients = (excludeConnId?: string) => deps.hub.approvalClientIds(excludeConnId).length > 0;
  const notifyChat = async (chat: RunOrigin, text: string): Promise<boolean> => {
    if (!chat.to) return false;
    await deps.send({
      to: chat.to,
      message: text,
      channel: chat.channel,
      accountId: chat.accountId,
      idempotencyKey: `exec-approval:${crypto.randomUUID()}`,
    });
    return true;
  };
  let loaded: Promise<GatewayExecApprovals> | undefined;
  const load = () =>
    loaded ??= import("../agent/exec_approvals.ts").then(({ GatewayExecApprovals }) =>
      new GatewayExecApprovals({
        location: { stateDir: deps.stateDir, db: deps.stateDb },
        queue,
        hasApprovalClients: () => hasApprovalClients(),
        notifyChat,
        pathEnv: deps.pathEnv,
        home: deps.home,
        forwarding: () => execApprovalsForwarding(deps.rawConfig()),
        configured: (agentId) => configuredExecPolicy(deps.rawConfig(), agentId),
      })
    );
  return {
    queue,
    hasApprovalClients,
    approvals: { authorize: async (ask, signal) => (await load()).authorize(ask, signal) },
  };
}
