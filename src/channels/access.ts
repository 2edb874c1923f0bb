import type { InboundMessage } from "./types.ts";

/** The access settings of one account, after inheritance and defaults. */
export interface AccessPolicy {
  dmPolicy: "pairing" | "allowlist" | "open" | "disabled";
  allowFrom: string[];
  groupPolicy: "open" | "allowlist" | "disabled";
  groupAllowFrom: string[] | undefined;
  groups: Record<string, GroupAccess & { topics?: Record<string, GroupAccess> }>;
}

/** One group's (or Telegram forum topic's) own access settings. */
export interface GroupAccess {
  enabled?: boolean;
  requireMention?: boolean;
  allowFrom?: string[];
}

/** What to do with an inbound message. */
export type AccessDecision =
  | { action: "run" }
  | { action: "pair" }
  | { action: "drop"; reason: string };

/** Lower-cased, so `Alice!u@h` and `alice!u@h` name one sender (IRC is case-insensitive). */
function normal(id: string): string {
  return id.trim().toLowerCase();
}

/** Whether the sender (or one of its aliases) is in the list; `"*"` admits everyone. */
export function senderListed(list: readonly string[], message: Pick<InboundMessage, "senderId" | "senderAliases">) {
  const entries = new Set(list.map(normal));
  if (entries.has("*")) return true;
  return [message.senderId, ...message.senderAliases].some((id) => entries.has(normal(id)));
}

/**
 * The reference's two gates, as one pure decision. Direct messages: `dmPolicy` (pairing by
 * default: unknown senders get a code, the pairing store and `allowFrom` admit). Groups: the
 * group must be allowed (`groups`, or any under `groupPolicy: "open"`), the sender must be in the
 * group's, the channel's group or the DM allowlist (never the pairing store), and the bot must be
 * mentioned unless the group says `requireMention: false`. A Telegram forum topic's entry overrides its group's.
 * A group session's own `groupActivation` (the reference's `/activation`, `sessions.patch`) decides over both:
 * "always" needs no mention, "mention" needs one.
 */
export function decideAccess(
  policy: AccessPolicy,
  message:
    & Pick<InboundMessage, "peerKind" | "senderId" | "senderAliases" | "groupId" | "mentioned">
    & Partial<Pick<InboundMessage, "channel" | "threadId">>,
  paired: readonly string[],
  activation?: string,
): AccessDecision {
  if (message.peerKind === "direct") {
    switch (policy.dmPolicy) {
      case "disabled":
        return { action: "drop", reason: "dm-disabled" };
      case "open":
      case "allowlist":
        return senderListed(policy.allowFrom, message)
          ? { action: "run" }
          : { action: "drop", reason: `dm-not-allowed (policy=${policy.dmPolicy})` };
      case "pairing":
        return senderListed([...policy.allowFrom, ...paired], message) ? { action: "run" } : { action: "pair" };
    }
  }
  if (policy.groupPolicy === "disabled") return { action: "drop", reason: "group-disabled" };
  const entry = groupEntryOf(policy, message);
  if (!entry && policy.groupPolicy === "allowlist") {
    return { action: "drop", reason: "group-not-allowed (policy=allowlist)" };
  }
  if (entry?.enabled === false) return { action: "drop", reason: "group-disabled" };
  const senders = groupSendersOf(policy, entry);
  const senderOk = senders.length === 0 ? policy.groupPolicy === "open" : senderListed(senders, message);
  if (!senderOk) return { action: "drop", reason: `group-sender-not-allowed (policy=${policy.groupPolicy})` };
  const requireMention = activation === "always"
    ? false
    : activation === "mention"
    ? true
    : entry?.requireMention ?? true;
  if (requireMention && !message.mentioned) return { action: "drop", reason: "missing-mention" };
  return { action: "run" };
}

type GroupMessage = Pick<InboundMessage, "groupId"> & Partial<Pick<InboundMessage, "channel" | "threadId">>;

/** The group's entry in `groups` (else `"*"`), a Telegram forum topic's entry (`topics.<id>`, else `"*"`) laid over it. */
function groupEntryOf(policy: AccessPolicy, message: GroupMessage) {
  const groupId = message.groupId ?? "";
  const group = Object.entries(policy.groups).find(([id]) => normal(id) === normal(groupId))?.[1] ??
    policy.groups["*"];
  const topics = message.channel === "telegram" && message.threadId ? group?.topics : undefined;
  const topic = topics?.[message.threadId!] ?? topics?.["*"];
  return group && topic ? { ...group, ...topic } : group;
}

/** The senders a group admits: its entry's list, else the channel's group list, else its DM list. */
function groupSendersOf(policy: AccessPolicy, entry: ReturnType<typeof groupEntryOf>): readonly string[] {
  return entry?.allowFrom ?? policy.groupAllowFrom ?? policy.allowFrom;
}

/**
 * Whether a group's allowlist names the sender (or admits everyone with `"*"`), rather than admitting them because
 * the group is open with no list: the reference's "command authorized" in a group, which lets a command skip the
 * mention gate.
 */
export function groupSenderListed(
  policy: AccessPolicy,
  message: GroupMessage & Pick<InboundMessage, "senderId" | "senderAliases">,
): boolean {
  const senders = groupSendersOf(policy, groupEntryOf(policy, message));
  return senders.length > 0 && senderListed(senders, message);
}
