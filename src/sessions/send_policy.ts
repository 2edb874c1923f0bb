// Whether a session's replies may leave for its chat: the session's own `sendPolicy` (`sessions.patch`, the TUI's
// `/send on|off`) first, then `session.sendPolicy` (a default and rules matching the chat's channel, chat type and
// session key; the first matching deny wins, any matching allow beats the default), as the reference decides it.
// A key whose peer shape reads two ways is denied whenever rules are configured: a rule could not be matched safely.

/** `session.sendPolicy` as written. */
export interface SendPolicyConfig {
  default?: "allow" | "deny" | undefined;
  rules?: {
    action: "allow" | "deny";
    match?: { channel?: string; chatType?: string; keyPrefix?: string; rawKeyPrefix?: string } | undefined;
  }[] | undefined;
}

/** What the decision is made from. */
export interface SendPolicyInput {
  /** `session.sendPolicy`, if configured. */
  policy?: SendPolicyConfig | undefined;
  /** The session's own `sendPolicy` (any case; other values count as unset). */
  override?: string | undefined;
  sessionKey: string;
  /** The channel the reply would go to (the inbound message's, else the session's delivery route). */
  channel?: string | undefined;
  /** The chat's type as the run knows it (a channel message's); otherwise derived from the key. */
  chatType?: string | undefined;
}

/** `allow`/`deny` from text in any case; anything else is no decision. */
function decision(raw: string | undefined): "allow" | "deny" | undefined {
  const value = raw?.trim().toLowerCase();
  return value === "allow" || value === "deny" ? value : undefined;
}

/** A match value, lowercased; empty is none. */
function matchValue(raw: string | undefined): string | undefined {
  const value = raw?.trim().toLowerCase();
  return value ? value : undefined;
}

/** `direct` (also `dm`), `group` or `channel`, from a channel's label. */
export function normalizeChatType(raw: string | undefined): "direct" | "group" | "channel" | undefined {
  const value = matchValue(raw);
  if (value === "direct" || value === "dm") return "direct";
  return value === "group" || value === "channel" ? value : undefined;
}

/** The key without `agent:<id>:`; undefined for a malformed agent key. */
function withoutAgent(key: string): string | undefined {
  const parts = key.split(":");
  if (parts[0] !== "agent") return key;
  return parts.length < 3 || !parts[1] || !parts[2] ? undefined : parts.slice(2).join(":");
}

const PEER_KINDS = new Set(["direct", "dm", "group", "channel"]);

/** The chat type an older key spelling names (`group:<id>`, a WhatsApp group, a Discord guild channel). */
function legacyChatType(scoped: string): "group" | "channel" | undefined {
  if (/^group:[^:]+(?::.*)?$/u.test(scoped)) return "group";
  if (/^channel:[^:]+(?::.*)?$/u.test(scoped)) return "channel";
  if (/^(?:whatsapp:)?[^:]+@g\.us$/.test(scoped)) return "group";
  if (/^discord:(?:[^:]+:)?guild-[^:]+:channel-[^:]+$/.test(scoped)) return "channel";
  return undefined;
}

/** The ways a scoped key (no agent prefix) names a peer: more than one is ambiguous. */
function peerShapes(scoped: string): boolean[] {
  const parts = scoped.split(":");
  if (parts[0] === "agent") return [];
  return [
    (parts[0] === "direct" || parts[0] === "dm") && Boolean(parts[1]),
    Boolean(parts[0]) && PEER_KINDS.has(parts[1] ?? "") && Boolean(parts[2]),
    Boolean(parts[0] && parts[1]) && PEER_KINDS.has(parts[2] ?? "") && Boolean(parts[3]),
    legacyChatType(scoped) !== undefined,
  ];
}

/** Whether a scoped key names a peer in more than one way. */
function ambiguous(scoped: string): boolean {
  return peerShapes(scoped).filter(Boolean).length > 1;
}

/** The channel and chat type a scoped key names (`telegram:group:<id>`, `discord:acct:channel:<id>`, `dm:<id>`). */
function peerShape(scoped: string): { channel?: string; chatType: "direct" | "group" | "channel" } | undefined {
  const parts = scoped.split(":");
  if (parts[0] === "agent" || ambiguous(scoped)) return undefined;
  let channel: string | undefined;
  let kind: string | undefined;
  let idAt = 0;
  if (parts[0] === "direct" || parts[0] === "dm") [kind, idAt] = [parts[0], 1];
  else if (parts[0] && PEER_KINDS.has(parts[1] ?? "")) [channel, kind, idAt] = [parts[0], parts[1], 2];
  else if (parts[0] && parts[1] && PEER_KINDS.has(parts[2] ?? "")) [channel, kind, idAt] = [parts[0], parts[2], 3];
  if (!kind || !parts[idAt]) return undefined;
  return { ...(channel ? { channel } : {}), chatType: normalizeChatType(kind)! };
}

/** The chat type a session key names, if it names one. */
function keyChatType(key: string): "direct" | "group" | "channel" | undefined {
  const scoped = withoutAgent(key.trim().toLowerCase());
  if (!scoped || scoped.startsWith("agent:")) return undefined;
  return peerShape(scoped)?.chatType ?? legacyChatType(scoped);
}

/** Whether replies of `input`'s session may be sent: `allow` or `deny`. */
export function resolveSendPolicy(input: SendPolicyInput): "allow" | "deny" {
  const own = decision(input.override);
  if (own) return own;
  const policy = input.policy;
  if (!policy) return "allow";
  const stripped = withoutAgent(input.sessionKey);
  if (stripped && ambiguous(stripped.toLowerCase())) return "deny";
  const rawKey = input.sessionKey.trim().toLowerCase();
  const strippedKey = (stripped ?? "").trim().toLowerCase();
  // Worked out only when a rule asks: most rules name one thing.
  const channel = () => matchValue(input.channel) ?? (stripped ? matchValue(peerShape(stripped)?.channel) : undefined);
  const chatType = () => normalizeChatType(input.chatType) ?? keyChatType(input.sessionKey);
  let allowed = false;
  for (const rule of policy.rules ?? []) {
    const match = rule.match ?? {};
    const wantChannel = matchValue(match.channel);
    const wantType = normalizeChatType(match.chatType);
    const prefix = matchValue(match.keyPrefix);
    const rawPrefix = matchValue(match.rawKeyPrefix);
    if (wantChannel && wantChannel !== channel()) continue;
    if (wantType && wantType !== chatType()) continue;
    if (rawPrefix && !rawKey.startsWith(rawPrefix)) continue;
    if (prefix && !rawKey.startsWith(prefix) && !strippedKey.startsWith(prefix)) continue;
    if ((decision(rule.action) ?? "allow") === "deny") return "deny";
    allowed = true;
  }
  return allowed ? "allow" : decision(policy.default) ?? "allow";
}
