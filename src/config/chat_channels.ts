// The chat channels the reference bundles (OpenClaw 2026.9.6), with the labels its CLI prints and
// the aliases it accepts (`teams` is `msteams`): what `--bind <channel>` may name. Pure.

/** The reference's bundled chat channels: id → [label, aliases]. */
const CHAT_CHANNELS: Readonly<Record<string, readonly [string, readonly string[]]>> = {
  a2a: ["A2A", []],
  buzz: ["Buzz", []],
  clickclack: ["ClickClack", []],
  discord: ["Discord", []],
  feishu: ["Feishu", ["lark"]],
  googlechat: ["Google Chat", ["gchat", "google-chat"]],
  imessage: ["iMessage", ["imsg"]],
  irc: ["IRC", ["internet-relay-chat"]],
  line: ["LINE", []],
  matrix: ["Matrix", []],
  mattermost: ["Mattermost", []],
  msteams: ["Microsoft Teams", ["teams"]],
  "nextcloud-talk": ["Nextcloud Talk", ["nc", "nc-talk"]],
  nostr: ["Nostr", []],
  "qa-channel": ["QA Channel", []],
  raft: ["Raft", []],
  reef: ["Reef", []],
  signal: ["Signal", []],
  slack: ["Slack", []],
  sms: ["SMS", []],
  "synology-chat": ["Synology Chat", []],
  telegram: ["Telegram", []],
  tlon: ["Tlon", []],
  twitch: ["Twitch", ["twitch-chat"]],
  whatsapp: ["WhatsApp", []],
  zalo: ["Zalo", ["zl"]],
  zalouser: ["Zalo Personal", ["zlu"]],
};

/** The chat channel a raw id or alias names, or undefined. */
export function chatChannelId(raw: string | undefined): string | undefined {
  const id = (raw ?? "").trim().toLowerCase();
  if (id === "") return undefined;
  if (Object.hasOwn(CHAT_CHANNELS, id)) return id;
  return Object.entries(CHAT_CHANNELS).find(([, [, aliases]]) => aliases.includes(id))?.[0];
}

/** A channel's display label (`Telegram`), or its id when unknown. */
export function channelLabel(channel: string): string {
  return CHAT_CHANNELS[channel]?.[0] ?? channel;
}

/** The chat channels a `channels` section configures and does not disable, in the order it names them. */
export function configuredChatChannels(channels: Readonly<Record<string, unknown>> | undefined): string[] {
  return Object.entries(channels ?? {}).flatMap(([id, entry]) => {
    const on = typeof entry === "object" && entry !== null && !Array.isArray(entry) &&
      (entry as { enabled?: unknown }).enabled !== false;
    return on && chatChannelId(id) === id ? [id] : [];
  });
}
