// Who may drive the bot in a Discord server, as the reference documents it (channels/discord/
// access-control.md): the guild must be allowed, a guild's `channels` map is an allowlist (a thread
// falls back to its parent's entry), `users`/`roles` narrow the senders, and mentions gate.

import type { DiscordAccountConfig } from "../../config/resolve.ts";

type GuildEntry = NonNullable<DiscordAccountConfig["guilds"]>[string];
type ChannelEntry = NonNullable<GuildEntry["channels"]>[string];

/** An account's guild settings, as the gate reads them. */
export interface GuildRules {
  groupPolicy: "open" | "allowlist" | "disabled";
  guilds: Record<string, GuildEntry>;
  /** `dangerouslyAllowNameMatching`: `users` entries may name a username as well as an id. */
  nameMatching: boolean;
}

/** What the gate knows of one guild message. */
export interface GuildMessageFacts {
  guildId: string;
  guildName: string | undefined;
  channelId: string;
  channelName: string | undefined;
  /** The parent channel when the message is in a thread (never a plain channel's category). */
  parentId: string | undefined;
  parentName: string | undefined;
  senderId: string;
  /** The sender's username and display name (matched only with name matching on). */
  senderNames: string[];
  roleIds: string[];
  /** The bot was mentioned, or the message replies to the bot. */
  mentioned: boolean;
  /** Another user or role was mentioned (not @everyone/@here). */
  mentionsOthers: boolean;
}

/** Admit, or drop with the reason the gateway logs. */
export type GuildDecision = { action: "run" } | { action: "drop"; reason: string };

/** The reference's slugs: lower case, spaces to `-`, no leading `#`. */
export function slugOf(name: string): string {
  return name.trim().toLowerCase().replace(/^#/, "").replace(/\s+/g, "-");
}

/** The entry a map gives an id or a name: by id, then by slug, then `"*"`. */
function lookup<T>(
  map: Record<string, T>,
  id: string,
  name: string | undefined,
  slug?: (entry: T) => string | undefined,
) {
  if (map[id] !== undefined) return map[id];
  if (name !== undefined) {
    const wanted = slugOf(name);
    for (const [key, entry] of Object.entries(map)) {
      if (slugOf(key) === wanted || (slug && slug(entry) === wanted)) return entry;
    }
  }
  return undefined;
}

function senderAllowed(
  users: readonly (string | number)[] | undefined,
  roles: readonly (string | number)[] | undefined,
  facts: GuildMessageFacts,
  nameMatching: boolean,
): boolean {
  if (!users?.length && !roles?.length) return true;
  const ids = new Set((users ?? []).map((entry) => String(entry).trim().replace(/^(discord:|user:|<@!?)|>$/g, "")));
  if (ids.has("*") || ids.has(facts.senderId)) return true;
  if (nameMatching && facts.senderNames.some((name) => ids.has(name) || ids.has(name.toLowerCase()))) return true;
  const roleIds = new Set((roles ?? []).map(String));
  return facts.roleIds.some((role) => roleIds.has(role));
}

/** The gate for one guild message (pure: the account calls it with the settings it runs with). */
export function decideGuildMessage(rules: GuildRules, facts: GuildMessageFacts): GuildDecision {
  if (rules.groupPolicy === "disabled") return { action: "drop", reason: "group-disabled" };
  const guild = lookup(rules.guilds, facts.guildId, facts.guildName, (entry) => entry.slug && slugOf(entry.slug)) ??
    rules.guilds["*"];
  if (!guild && rules.groupPolicy === "allowlist") {
    return { action: "drop", reason: "guild-not-allowed (policy=allowlist)" };
  }
  let channel: ChannelEntry | undefined;
  const channels = guild?.channels ?? {};
  if (Object.keys(channels).length > 0) {
    // A channel map is an allowlist; a thread uses its own entry (by id only: anyone may name a
    // thread after an allowed channel, as the reference knows), else its parent's.
    const ownName = facts.parentId === undefined ? facts.channelName : undefined;
    channel = lookup(channels, facts.channelId, ownName) ??
      (facts.parentId ? lookup(channels, facts.parentId, facts.parentName) : undefined) ?? channels["*"];
    if (!channel) return { action: "drop", reason: "channel-not-allowed" };
    if (channel.enabled === false || channel.allow === false) return { action: "drop", reason: "channel-disabled" };
  }
  const users = channel?.users ?? guild?.users;
  const roles = channel?.roles ?? guild?.roles;
  if (!senderAllowed(users, roles, facts, rules.nameMatching)) {
    return { action: "drop", reason: "group-sender-not-allowed" };
  }
  const ignoreOthers = channel?.ignoreOtherMentions ?? guild?.ignoreOtherMentions ?? false;
  if (ignoreOthers && facts.mentionsOthers && !facts.mentioned) return { action: "drop", reason: "other-mention" };
  const requireMention = channel?.requireMention ?? guild?.requireMention ?? true;
  if (requireMention && !facts.mentioned) return { action: "drop", reason: "missing-mention" };
  return { action: "run" };
}
