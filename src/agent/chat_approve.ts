// `/approve <id> <decision>` typed in a chat: the reference's parsing (decision aliases, either
// order), its replies, and a same-chat rule: a channel sender answers only the approvals asked for
// in that very chat (one whose request's turn source is this chat, or one whose prompt was forwarded
// there by `approvals.exec`). The session key is no proof: every DM shares `agent:main:main` by
// default. A Gateway client (Control UI, WebChat) answers with its connection's scopes instead.
import type { ApprovalDecision, ApprovalRecord, ExecApprovalQueue } from "./exec_approval_queue.ts";

const DECISION_ALIASES: Readonly<Record<string, ApprovalDecision>> = {
  allow: "allow-once",
  once: "allow-once",
  "allow-once": "allow-once",
  allowonce: "allow-once",
  always: "allow-always",
  "allow-always": "allow-always",
  allowalways: "allow-always",
  deny: "deny",
  reject: "deny",
  block: "deny",
};

/** The reference's usage reply. */
export const APPROVE_USAGE_TEXT =
  "Usage: /approve <id> <decision> (see the pending approval message for available decisions)";

/** The id and decision of `/approve` arguments, or the usage text. */
export function parseApproveArgs(args: string): { id: string; decision: ApprovalDecision } | { error: string } {
  const tokens = args.trim().split(/\s+/).filter(Boolean);
  if (tokens.length < 2) return { error: APPROVE_USAGE_TEXT };
  const first = tokens[0]!.toLowerCase();
  const second = tokens[1]!.toLowerCase();
  if (Object.hasOwn(DECISION_ALIASES, first)) {
    return { decision: DECISION_ALIASES[first]!, id: tokens.slice(1).join(" ") };
  }
  if (Object.hasOwn(DECISION_ALIASES, second)) return { decision: DECISION_ALIASES[second]!, id: tokens[0]! };
  return { error: APPROVE_USAGE_TEXT };
}

/** Who typed `/approve`, and in which chat. */
export interface ApproveSender {
  channel: string;
  senderId: string;
  /** The chat the reply goes to (a DM peer or a channel). */
  chat: string;
  /** The session this chat routes to. */
  sessionKey: string;
}

/** The shortest id prefix `/approve` takes from a chat (stricter than the reference, which takes any unique one). */
export const MIN_CHAT_PREFIX_LENGTH = 8;

const NOT_FOUND = "❌ Failed to submit approval: unknown or expired approval id";

/** Runs `/approve` for a channel sender and returns the reply. */
export function approveFromChat(queue: ExecApprovalQueue, args: string, sender: ApproveSender): string {
  const parsed = parseApproveArgs(args);
  if ("error" in parsed) return parsed.error;
  const sameChat = (record: ApprovalRecord): boolean =>
    (record.request.turnSourceChannel === sender.channel && record.request.turnSourceTo === sender.chat) ||
    queue.routesOf(record.id).some((r) => r.channel === sender.channel && r.to === sender.chat);
  // A short prefix would let a sender guess; only this chat's approvals are candidates at all, so
  // another chat's approval reads as unknown: its existence is not this sender's to learn.
  const found = queue.findPending(parsed.id, sameChat);
  const record = found === "ambiguous" ? undefined : found;
  if (!record || (record.id.toLowerCase() !== parsed.id.toLowerCase() && parsed.id.length < MIN_CHAT_PREFIX_LENGTH)) {
    return NOT_FOUND;
  }
  return submit(queue, record, parsed, `${sender.channel}:${sender.senderId}`);
}

/** The reference's reply to a Gateway client without an approvals scope. */
export const APPROVE_SCOPE_TEXT = "❌ /approve requires operator.approvals for gateway clients.";

/**
 * Runs `/approve` for a Gateway client (Control UI, WebChat): a caller holding operator.approvals or
 * operator.admin answers any pending approval, as its `exec.approval.resolve` would.
 */
export function approveFromGatewayClient(
  queue: ExecApprovalQueue,
  args: string,
  client: { scopes: readonly string[]; label: string },
): string {
  const parsed = parseApproveArgs(args);
  if ("error" in parsed) return parsed.error;
  if (!client.scopes.includes("operator.approvals") && !client.scopes.includes("operator.admin")) {
    return APPROVE_SCOPE_TEXT;
  }
  const found = queue.findPending(parsed.id);
  if (found === "ambiguous") return "❌ Failed to submit approval: ambiguous approval id prefix; use the full id";
  if (!found) return NOT_FOUND;
  return submit(queue, found, parsed, client.label);
}

function submit(
  queue: ExecApprovalQueue,
  record: ApprovalRecord,
  parsed: { id: string; decision: ApprovalDecision },
  label: string,
): string {
  if (!record.request.allowedDecisions.includes(parsed.decision)) {
    return "❌ Failed to submit approval: allow-always is unavailable for this command";
  }
  const outcome = queue.resolve(record.id, parsed.decision, {
    resolvedBy: label,
    resolver: { kind: "channel", id: label },
  });
  if (outcome !== "resolved") return NOT_FOUND;
  // The reference echoes the id as typed.
  return `✅ Approval ${parsed.decision} submitted for ${parsed.id}.`;
}
