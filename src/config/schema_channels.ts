import { z } from "zod";
import { SecretInputSchema } from "./schema_secret.ts";
import { checkSlackSigningSecret, refineChannelSection } from "./schema_refinements.ts";
import { namedRefinement } from "./schema_refinement_check.ts";

const port = z.number().int().min(1).max(65535);
const stringList = z.array(z.string());
const DmPolicySchema = z.enum(["pairing", "allowlist", "open", "disabled"]);
const GroupPolicySchema = z.enum(["open", "allowlist", "disabled"]);
const allowList = z.array(z.union([z.string(), z.number()]));

/** Per-group (IRC channel, Telegram group) access: who may drive the agent there, and whether a mention is needed. */
const GroupEntrySchema = z.looseObject({
  enabled: z.boolean().optional(),
  requireMention: z.boolean().optional(),
  allowFrom: allowList.optional(),
});

/** The access keys every chat channel shares (DM policy, group policy, allowlists). */
const channelAccess = {
  enabled: z.boolean().optional(),
  dmPolicy: DmPolicySchema.optional(),
  allowFrom: allowList.optional(),
  groupPolicy: GroupPolicySchema.optional(),
  groupAllowFrom: allowList.optional(),
  groups: z.record(z.string(), GroupEntrySchema).optional(),
  textChunkLimit: z.number().int().min(16).max(100_000).optional(),
  dangerouslyAllowNameMatching: z.boolean().optional(),
};

const IrcAccountSchema = z.looseObject({
  ...channelAccess,
  host: z.string().min(1).optional(),
  port: port.optional(),
  tls: z.boolean().optional(),
  nick: z.string().min(1).optional(),
  username: z.string().optional(),
  realname: z.string().optional(),
  password: SecretInputSchema.optional(),
  passwordFile: z.string().optional(),
  channels: stringList.optional(),
  sasl: z.strictObject({ username: z.string().optional(), password: SecretInputSchema }).optional(),
  nickserv: z.looseObject({
    enabled: z.boolean().optional(),
    service: z.string().optional(),
    password: SecretInputSchema.optional(),
    passwordFile: z.string().optional(),
    register: z.boolean().optional(),
    registerEmail: z.string().optional(),
  }).optional(),
  /** Lines per second the bot may send, after a burst (flood limit). */
  messagesPerSecond: z.number().positive().max(100).optional(),
});

/** A Telegram group: its access, and its forum topics' own (`topics.<threadId>`, `topics."*"`), each overriding it. */
const TelegramGroupEntrySchema = GroupEntrySchema.extend({
  topics: z.record(z.string(), GroupEntrySchema).optional(),
});

const TelegramAccountSchema = z.looseObject({
  ...channelAccess,
  groups: z.record(z.string(), TelegramGroupEntrySchema).optional(),
  botToken: SecretInputSchema.optional(),
  tokenFile: z.string().optional(),
  apiRoot: z.url().optional(),
  webhookUrl: z.url().optional(),
  webhookSecret: SecretInputSchema.optional(),
  webhookPath: z.string().startsWith("/").optional(),
  /** The largest inbound file kept, in MB (default 100; the Bot API serves bots at most 20). */
  mediaMaxMb: z.number().positive().optional(),
});

// The Discord schema reuses one node per optional flag and list: zod nodes are immutable, and each
// one built at start is idle memory for every gateway, with or without Discord.
const optionalFlag = z.boolean().optional();
const optionalAllowList = allowList.optional();

/** A Discord guild channel (or thread parent) entry: whether the bot works there, and who may drive it. */
const DiscordChannelEntrySchema = z.looseObject({
  enabled: optionalFlag,
  /** Legacy spelling of `enabled` (`openclaw doctor --fix` migrates it). */
  allow: optionalFlag,
  requireMention: optionalFlag,
  ignoreOtherMentions: optionalFlag,
  users: optionalAllowList,
  roles: optionalAllowList,
});

/** A Discord guild entry: its own sender and mention rules, and an optional channel allowlist. */
const DiscordGuildEntrySchema = DiscordChannelEntrySchema.extend({
  slug: z.string().optional(),
  channels: z.record(z.string(), DiscordChannelEntrySchema).optional(),
});

const DiscordAccountSchema = z.looseObject({
  ...channelAccess,
  token: SecretInputSchema.optional(),
  applicationId: z.string().optional(),
  allowBots: z.union([z.boolean(), z.literal("mentions")]).optional(),
  /** Legacy DM keys, read when `dmPolicy`/`allowFrom` are unset. */
  dm: z.looseObject({
    enabled: optionalFlag,
    policy: channelAccess.dmPolicy,
    allowFrom: optionalAllowList,
    groupEnabled: optionalFlag,
    groupChannels: optionalAllowList,
  }).optional(),
  guilds: z.record(z.string(), DiscordGuildEntrySchema).optional(),
  maxLinesPerMessage: z.number().int().min(1).optional(),
  suppressEmbeds: optionalFlag,
  intents: z.looseObject({ messageContent: optionalFlag }).optional(),
  mediaMaxMb: z.number().positive().optional(),
});

const ReplyToModeSchema = z.enum(["off", "first", "all", "batched"]).optional();

/** A Slack channel entry (`channels.slack.channels.<id>`): whether the bot works there, and who may drive it. */
const SlackChannelEntrySchema = z.looseObject({
  enabled: optionalFlag,
  /** Legacy spelling of `enabled`. */
  allow: optionalFlag,
  requireMention: optionalFlag,
  users: optionalAllowList,
  allowBots: z.union([z.boolean(), z.literal("mentions")]).optional(),
  replyToMode: ReplyToModeSchema,
});

const SlackAccountSchema = z.looseObject({
  ...channelAccess,
  mode: z.enum(["socket", "http", "relay"]).optional(),
  botToken: SecretInputSchema.optional(),
  appToken: SecretInputSchema.optional(),
  signingSecret: SecretInputSchema.optional(),
  webhookPath: z.string().optional(),
  requireMention: optionalFlag,
  allowBots: z.union([z.boolean(), z.literal("mentions")]).optional(),
  /** DM switches; `policy`/`allowFrom` are the legacy spellings of `dmPolicy`/`allowFrom`. */
  dm: z.looseObject({
    enabled: optionalFlag,
    policy: channelAccess.dmPolicy,
    allowFrom: optionalAllowList,
    groupEnabled: optionalFlag,
    groupChannels: optionalAllowList,
    replyToMode: ReplyToModeSchema,
  }).optional(),
  channels: z.record(z.string(), SlackChannelEntrySchema).optional(),
  replyToMode: ReplyToModeSchema,
  replyToModeByChatType: z.looseObject({
    direct: ReplyToModeSchema,
    group: ReplyToModeSchema,
    channel: ReplyToModeSchema,
  }).optional(),
  implicitMentions: z.looseObject({ replyToBot: optionalFlag, threadParticipation: optionalFlag }).optional(),
  mediaMaxMb: z.number().positive().optional(),
  unfurlLinks: optionalFlag,
  unfurlMedia: optionalFlag,
});

/** A WhatsApp Web account (Baileys): where its linked-device credentials live, and how it answers. */
const WhatsAppAccountSchema = z.looseObject({
  ...channelAccess,
  name: z.string().optional(),
  /** The linked-device credentials' directory; default `<state>/credentials/whatsapp/<accountId>`. */
  authDir: z.string().optional(),
  selfChatMode: optionalFlag,
  sendReadReceipts: optionalFlag,
  mediaMaxMb: z.number().positive().optional(),
  mentionPatterns: z.array(z.string()).optional(),
});

/** A channel section: root settings (the default account) plus named accounts inheriting them. */
function channelSection<T extends z.ZodObject>(account: T) {
  return account.extend({
    accounts: z.record(z.string(), account).optional(),
    defaultAccount: z.string().optional(),
  }).check(namedRefinement(refineChannelSection));
}

/** The `channels` section: IRC and Telegram are served; other channels' sections are kept as written. */
export const ChannelsConfigSchema = z.looseObject({
  irc: channelSection(IrcAccountSchema).optional(),
  telegram: channelSection(TelegramAccountSchema).optional(),
  discord: channelSection(DiscordAccountSchema).optional(),
  slack: channelSection(SlackAccountSchema).check(namedRefinement(checkSlackSigningSecret)).optional(),
  whatsapp: channelSection(WhatsAppAccountSchema).optional(),
  defaults: z.looseObject({ dmPolicy: DmPolicySchema.optional(), groupPolicy: GroupPolicySchema.optional() })
    .optional(),
});

/** The raw `channels` section. */
export type RawChannelsConfig = z.infer<typeof ChannelsConfigSchema>;
/** One IRC account's settings as written (the `channels.irc` root, or one entry under its `accounts`). */
export type RawIrcAccount = z.infer<typeof IrcAccountSchema>;
/** One Telegram account's settings as written (the `channels.telegram` root, or one entry under its `accounts`). */
export type RawTelegramAccount = z.infer<typeof TelegramAccountSchema>;
/** One Discord account's settings as written (the `channels.discord` root, or one entry under its `accounts`). */
export type RawDiscordAccount = z.infer<typeof DiscordAccountSchema>;
/** One Slack account's settings as written (the `channels.slack` root, or one entry under its `accounts`). */
export type RawSlackAccount = z.infer<typeof SlackAccountSchema>;
/** One WhatsApp account's settings as written (the `channels.whatsapp` root, or one entry under its `accounts`). */
export type RawWhatsAppAccount = z.infer<typeof WhatsAppAccountSchema>;
