// Discord message types the reference does not answer: system messages (a pin, a member joining, a boost, a thread
// created, raid alerts, stage events, poll results ...), which it turns into system events for the session instead,
// and, in a guild, the messages slash commands and context-menu commands leave. Numbers as Discord's API has them.

/** The system message types the reference turns into system events, never runs (its `resolveDiscordSystemEvent`). */
const SYSTEM_EVENT_TYPES: ReadonlyMap<number, string> = new Map([
  [1, "RecipientAdd"],
  [2, "RecipientRemove"],
  [6, "ChannelPinnedMessage"],
  [7, "UserJoin"],
  [8, "GuildBoost"],
  [9, "GuildBoostTier1"],
  [10, "GuildBoostTier2"],
  [11, "GuildBoostTier3"],
  [18, "ThreadCreated"],
  [24, "AutoModerationAction"],
  [27, "StageStart"],
  [28, "StageEnd"],
  [29, "StageSpeaker"],
  [31, "StageTopic"],
  [36, "GuildIncidentAlertModeEnabled"],
  [37, "GuildIncidentAlertModeDisabled"],
  [38, "GuildIncidentReportRaid"],
  [39, "GuildIncidentReportFalseAlarm"],
  [44, "PurchaseNotification"],
  [46, "PollResult"],
]);

/** What a slash command (ChatInputCommand) or a context-menu command leaves in a guild channel. */
const COMMAND_TYPES: ReadonlySet<number> = new Set([20, 23]);

/**
 * Why a message of this type is not answered, worded for the log, or undefined for conversation (normal messages,
 * replies, and the other types, whose empty text drops them anyway, as in the reference).
 */
export function unansweredDiscordType(type: unknown, inGuild: boolean): string | undefined {
  if (typeof type !== "number") return undefined;
  const system = SYSTEM_EVENT_TYPES.get(type);
  if (system) return `system message ${system}`;
  if (inGuild && COMMAND_TYPES.has(type)) return "channel command message";
  return undefined;
}
