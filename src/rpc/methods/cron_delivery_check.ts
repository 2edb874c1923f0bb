// The reference's create-time check of an announce job's channel: a job is not stored against a
// channel that cannot carry its answer (`delivery.channel must be one of: irc`), so it fails now
// rather than at its first run. Pure over the channels the config sets up.

/** The chat channels the reference knows by id (its bundled channel ids). */
const KNOWN_CHANNELS = new Set([
  "discord",
  "feishu",
  "googlechat",
  "imessage",
  "irc",
  "line",
  "matrix",
  "mattermost",
  "msteams",
  "nostr",
  "signal",
  "slack",
  "telegram",
  "tlon",
  "twitch",
  "whatsapp",
  "zalo",
  "zalouser",
]);

/** The channels the config sets up: `configured` ids (sorted), and whether it has any channel entry at all. */
export interface ChannelSetup {
  configured: string[];
  hasEntries: boolean;
}

/** The channel sections of a raw config that are set up (a non-empty section not switched off). */
export function channelSetup(channels: unknown): ChannelSetup {
  if (channels === null || typeof channels !== "object" || Array.isArray(channels)) {
    return { configured: [], hasEntries: false };
  }
  const entries = Object.entries(channels).filter(([id, entry]) =>
    id !== "defaults" && id !== "modelByChannel" && entry !== null && typeof entry === "object" &&
    !Array.isArray(entry) && Object.keys(entry).length > 0
  );
  const configured = entries.filter(([, entry]) => (entry as { enabled?: unknown }).enabled !== false).map(([id]) =>
    id
  );
  return { configured: configured.sort(), hasEntries: entries.length > 0 };
}

/** Why an announce delivery's channel cannot be used, in the reference's words; undefined when it can. */
export function announceChannelProblem(delivery: unknown, setup: ChannelSetup): string | undefined {
  if (delivery === null || typeof delivery !== "object") return undefined;
  const { mode, channel } = delivery as { mode?: unknown; channel?: unknown };
  if ((mode ?? "announce") !== "announce" || typeof channel !== "string") return undefined;
  const id = channel.trim().toLowerCase();
  if (!id || id === "last") return undefined;
  const field = "delivery.channel";
  if (setup.configured.length === 0) {
    if (setup.hasEntries) return `${field} is not configured: ${id}`;
    return KNOWN_CHANNELS.has(id) ? undefined : `${field} is not a known channel: ${id}`;
  }
  return setup.configured.includes(id) ? undefined : `${field} must be one of: ${setup.configured.join(", ")}`;
}
