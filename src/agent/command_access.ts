// Who a chat channel's sender is to the command rules: authorized to run commands at all
// (`commands.allowFrom` when configured, else the channel's own admission) and whether they are the
// gateway's owner (`commands.ownerAllowFrom`). Pure; decideCommand applies the result.
import type { ResolvedCommands } from "../config/resolve_commands.ts";
import type { CommandSender } from "./chat_commands.ts";

/** A channel sender as the command rules see them. */
export interface ChannelSenderIdentity {
  /** The channel id (`irc`, `telegram`). */
  channel: string;
  /** The sender's stable id and any alias they may be listed under (a bare IRC nick). */
  ids: readonly string[];
}

function matches(entry: string, channel: string, ids: readonly string[]): boolean {
  const trimmed = entry.trim();
  if (trimmed === "*") return true;
  // `channel:id` names a sender on one channel; a bare id matches on any.
  const colon = trimmed.indexOf(":");
  const prefix = colon > 0 ? trimmed.slice(0, colon).toLowerCase() : undefined;
  const id = prefix === channel ? trimmed.slice(colon + 1) : prefix && /^[a-z]+$/.test(prefix) ? undefined : trimmed;
  if (id === undefined) return false;
  return ids.some((candidate) => candidate.toLowerCase() === id.toLowerCase());
}

/** Whether the sender is the gateway's owner: listed in `commands.ownerAllowFrom` (never by a wildcard). */
export function isChannelOwner(identity: ChannelSenderIdentity, commands: ResolvedCommands): boolean {
  return commands.ownerAllowFrom.some((entry) =>
    entry.trim() !== "*" && matches(entry, identity.channel, identity.ids)
  );
}

/**
 * The command sender for a channel message the channel admitted: the owner when listed in
 * `commands.ownerAllowFrom`; authorized by `commands.allowFrom` alone when that is configured (the
 * channel's key, else `"*"`; neither means nobody), otherwise by the channel's admission.
 */
export function channelCommandSender(identity: ChannelSenderIdentity, commands: ResolvedCommands): CommandSender {
  const isOwner = isChannelOwner(identity, commands);
  let authorized = true;
  if (commands.allowFrom) {
    const list = commands.allowFrom[identity.channel] ?? commands.allowFrom["*"] ?? [];
    authorized = list.some((entry) => matches(entry, identity.channel, identity.ids));
  }
  return {
    isOwner,
    authorized: authorized || isOwner,
    gatewayClient: false,
    ownerHint: () => commandOwnerHint(identity, commands),
  };
}

/**
 * The reference's hint to an admitted sender who is not an owner: the `openclaw config set` that adds them to the
 * configured owners (quoted for a POSIX shell), run by the operator in a terminal.
 */
export function commandOwnerHint(identity: ChannelSenderIdentity, commands: ResolvedCommands): string {
  const id = identity.ids[0]?.trim();
  if (!id) return "Ask the operator to set commands.ownerAllowFrom to your channel user id.";
  const colon = id.indexOf(":");
  const owner = colon > 0 && id.slice(0, colon).toLowerCase() === identity.channel.toLowerCase()
    ? id
    : `${identity.channel}:${id}`;
  const configured = commands.ownerAllowFrom.map((entry) => entry.trim())
    .filter((entry) => entry && entry !== "*" && !entry.endsWith(":*"));
  const owners = JSON.stringify([...new Set([...configured, owner])]).replaceAll("'", "'\\''");
  return `Ask the operator to run \`openclaw config set commands.ownerAllowFrom '${owners}'\` in a terminal to make ` +
    "this sender a command owner.";
}
