// `/approve <id> <decision>` typed in a chat: the reference's parsing (decision aliases, either
// order), its replies, and its same-chat rule: a channel sender answers only the approvals asked
// for in that very chat (the run of that chat's session, one whose request names this chat, or one
// whose prompt was forwarded there by `approvals.exec`).
import type { ApprovalDecision, ExecApprovalQueue } from "./exec_approval_queue.ts";

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

const NOT_FOUND = "❌ Failed to submit approval: unknown or expired approval id";

/** Runs `/approve` for a channel sender and returns the reply. */
export function approveFromChat(queue: ExecApprovalQueue, args: string, sender: ApproveSender): string {
  const parsed = parseApproveArgs(args);
  if ("error" in parsed) return parsed.error;
  const found = queue.findPending(parsed.id);
  const record = found === "ambiguous" ? undefined : found;
  const request = record?.request;
  const sameChat = request !== undefined &&
    (request.sessionKey === sender.sessionKey ||
      (request.turnSourceChannel === sender.channel && request.turnSourceTo === sender.chat) ||
      queue.routesOf(record!.id).some((r) => r.channel === sender.channel && r.to === sender.chat));
  // Another chat's approval reads as unknown: its existence is not this sender's to learn.
  if (!record || !sameChat) return NOT_FOUND;
  if (!record.request.allowedDecisions.includes(parsed.decision)) {
    return "❌ Failed to submit approval: allow-always is unavailable for this command";
  }
  const label = `${sender.channel}:${sender.senderId}`;
  const outcome = queue.resolve(record.id, parsed.decision, {
    resolvedBy: label,
    resolver: { kind: "channel", id: label },
  });
  if (outcome !== "resolved") return NOT_FOUND;
  return `✅ Approval ${parsed.decision} submitted for ${record.id}.`;
}
