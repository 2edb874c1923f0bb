import { type APIChannel, ChannelType } from "discord-api-types/v10";

/** Where a guild message was posted, as far as the account knows: names for slug matching, a thread's parent. */
export interface MessagePlace {
  guildName: string | undefined;
  channelName: string | undefined;
  parentId: string | undefined;
  parentName: string | undefined;
}

interface KnownChannel {
  name: string | undefined;
  parentId: string | undefined;
}

/** Announcement, public and private threads. */
const THREAD_TYPES: ReadonlySet<ChannelType> = new Set([
  ChannelType.AnnouncementThread,
  ChannelType.PublicThread,
  ChannelType.PrivateThread,
]);

/** Channels kept at most; threads come and go, so the oldest are forgotten first. */
const MAX_CHANNELS = 10_000;

/**
 * Guild and channel names and thread parents, learned from the gateway (GUILD_CREATE carries a
 * guild's channels and active threads; CHANNEL_/THREAD_ events update them) and, for a channel
 * not seen yet, asked of REST. Guild entries match by id or slug and a thread falls back to
 * its parent's entry, so the gate needs these facts.
 */
export class ChannelDirectory {
  #guilds = new Map<string, string>();
  #channels = new Map<string, KnownChannel>();
  #fetch: (id: string) => Promise<APIChannel>;

  constructor(fetchChannel: (id: string) => Promise<APIChannel>) {
    this.#fetch = fetchChannel;
  }

  /** Records a guild and its channels and threads (GUILD_CREATE). */
  guild(guild: { id: string; name: string; channels?: APIChannel[]; threads?: APIChannel[] }): void {
    this.#guilds.set(guild.id, guild.name);
    for (const channel of [...guild.channels ?? [], ...guild.threads ?? []]) this.channel(channel);
  }

  /** Records one channel or thread. */
  channel(channel: APIChannel): void {
    this.#channels.delete(channel.id);
    this.#channels.set(channel.id, {
      name: "name" in channel && typeof channel.name === "string" ? channel.name : undefined,
      // Only a thread falls back to its parent's entry; a channel's `parent_id` is its category.
      parentId: THREAD_TYPES.has(channel.type) && "parent_id" in channel && typeof channel.parent_id === "string"
        ? channel.parent_id
        : undefined,
    });
    if (this.#channels.size > MAX_CHANNELS) {
      const oldest = this.#channels.keys().next().value;
      if (oldest !== undefined) this.#channels.delete(oldest);
    }
  }

  /** The place of a message; a channel not yet known is fetched (a failure leaves it unnamed). */
  async place(guildId: string, channelId: string): Promise<MessagePlace> {
    const channel = await this.#known(channelId);
    const parent = channel?.parentId ? this.#channels.get(channel.parentId) : undefined;
    return {
      guildName: this.#guilds.get(guildId),
      channelName: channel?.name,
      parentId: channel?.parentId,
      parentName: parent?.name,
    };
  }

  async #known(id: string): Promise<KnownChannel | undefined> {
    const known = this.#channels.get(id);
    if (known) return known;
    try {
      this.channel(await this.#fetch(id));
    } catch {
      // No permission or a transient failure: the gate decides by id alone (asked again next time).
      return undefined;
    }
    return this.#channels.get(id);
  }
}
