// `/whoami` (`/id`): who the gateway sees behind a chat command, in the reference's lines, so a user can copy
// the id an allowlist or `commands.ownerAllowFrom` entry needs.

/** The sender as the command's caller knows them: a channel sender, or a Gateway client's connection. */
export interface WhoamiSource {
  sender?: {
    channel: string;
    senderId: string;
    username?: string | undefined;
    groupId?: string | undefined;
    threadId?: string | undefined;
  } | undefined;
  gatewayClient?: { clientId?: string | undefined } | undefined;
}

/** The reference's operator UIs: it names no user behind them (the Control UI, its browser copilot, the TUI). */
const OPERATOR_UI_CLIENTS = new Set(["openclaw-control-ui", "openclaw-browser-copilot", "openclaw-tui"]);

/**
 * The reference's `🧭 Identity` card: the channel, the sender's id and handle, the group (`<channel>:group:<id>`)
 * and thread it came from, and the id an allowlist entry takes. A Gateway client's channel is `webchat`, its
 * client id the sender (none for the operator UIs).
 */
export function whoamiText(source: WhoamiSource): string {
  const lines = ["🧭 Identity"];
  const sender = source.sender;
  if (sender) {
    lines.push(`Channel: ${sender.channel}`);
    if (sender.senderId) lines.push(`User id: ${sender.senderId}`);
    if (sender.username) lines.push(`Username: ${sender.username.startsWith("@") ? "" : "@"}${sender.username}`);
    if (sender.groupId) lines.push(`Chat: ${sender.channel}:group:${sender.groupId}`);
    if (sender.threadId) lines.push(`Thread: ${sender.threadId}`);
    if (sender.senderId) lines.push(`AllowFrom: ${sender.senderId}`);
    return lines.join("\n");
  }
  lines.push("Channel: webchat");
  const clientId = source.gatewayClient?.clientId;
  if (clientId && !OPERATOR_UI_CLIENTS.has(clientId)) lines.push(`User id: ${clientId}`, `AllowFrom: ${clientId}`);
  return lines.join("\n");
}
