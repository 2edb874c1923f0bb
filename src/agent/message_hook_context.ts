// The context of the `message:*` internal hook events, shaped as the reference's mappers
// (message-hook-mappers: toInternalMessageReceivedContext, ...Preprocessed..., ...Sent...) shape them from one
// inbound message's facts. Keys the reference always sets are set here too, undefined when the fact is absent,
// so a handler's `Object.keys(context)` sees what the reference's handlers see.

/** One stored file of an inbound message, as the hook's structured `media` facts name it. */
export interface MessageMediaFact {
  path?: string | undefined;
  url?: string | undefined;
  contentType?: string | undefined;
  kind?: string | undefined;
  transcribed?: boolean | undefined;
  messageId?: string | undefined;
}

/** What is known of one accepted inbound message (a channel's or a Gateway client's `chat.send`). */
export interface InboundHookFacts {
  /** The sender as the channel names the conversation's origin ("" for a Gateway client). */
  from: string;
  to?: string | undefined;
  /** The message text as received (a command's text included). */
  content: string;
  /** The text the agent gets, once files and links were read (defaults to `content`). */
  bodyForAgent?: string | undefined;
  /** `webchat` for a Gateway client, else the channel id (`irc`, `telegram`...). */
  channelId: string;
  accountId?: string | undefined;
  conversationId: string;
  messageId?: string | undefined;
  /** Milliseconds since the epoch, when the channel said when it was sent. */
  timestamp?: number | undefined;
  senderId?: string | undefined;
  senderName?: string | undefined;
  senderUsername?: string | undefined;
  threadId?: string | undefined;
  isGroup: boolean;
  groupId?: string | undefined;
  /** The group's channel name (IRC `#room`), for group messages. */
  channelName?: string | undefined;
  /** The audio transcript the files gave, if any. */
  transcript?: string | undefined;
  media?: readonly MessageMediaFact[] | undefined;
}

/** The media facts with the reference's public keys only, in order. */
function mediaFacts(media: readonly MessageMediaFact[] | undefined): Record<string, unknown>[] {
  return (media ?? []).map((fact) => {
    const projected: Record<string, unknown> = {};
    if (fact.path !== undefined) projected.path = fact.path;
    if (fact.url !== undefined) projected.url = fact.url;
    if (fact.contentType !== undefined) projected.contentType = fact.contentType;
    if (fact.kind !== undefined) projected.kind = fact.kind;
    if (fact.transcribed === true) projected.transcribed = true;
    if (fact.messageId !== undefined) projected.messageId = fact.messageId;
    return projected;
  });
}

/** The first-file aliases and their lists, as the reference keeps them beside the structured facts. */
function mediaAliases(media: readonly MessageMediaFact[] | undefined) {
  const facts = media ?? [];
  const compact = (values: (string | undefined)[]) => {
    const kept = values.filter((value): value is string => Boolean(value));
    return kept.length > 0 ? kept : undefined;
  };
  const first = facts[0];
  return {
    mediaPath: first?.path,
    mediaUrl: first?.url ?? first?.path,
    mediaType: first?.contentType ?? first?.kind,
    mediaPaths: compact(facts.map((fact) => fact.path)),
    mediaUrls: compact(facts.map((fact) => fact.url ?? fact.path)),
    mediaTypes: compact(facts.map((fact) => fact.contentType ?? fact.kind)),
  };
}

/** `message:received`'s context: the message, where it came from, and its `metadata`. */
export function messageReceivedContext(facts: InboundHookFacts): Record<string, unknown> {
  const media = mediaFacts(facts.media);
  const aliases = mediaAliases(facts.media);
  return {
    from: facts.from,
    content: facts.content,
    timestamp: facts.timestamp,
    channelId: facts.channelId,
    accountId: facts.accountId,
    conversationId: facts.conversationId,
    messageId: facts.messageId,
    ...(media.length > 0 ? { media } : {}),
    metadata: {
      to: facts.to,
      provider: facts.channelId,
      surface: facts.channelId,
      threadId: facts.threadId,
      senderId: facts.senderId,
      senderName: facts.senderName,
      senderUsername: facts.senderUsername,
      senderE164: undefined,
      ...aliases,
      guildId: undefined,
      channelName: facts.channelName,
      topicName: undefined,
    },
  };
}

/** The part `message:transcribed` and `message:preprocessed` share. */
function preparedBase(facts: InboundHookFacts): Record<string, unknown> {
  const media = mediaFacts(facts.media);
  const aliases = mediaAliases(facts.media);
  return {
    from: facts.from,
    to: facts.to,
    body: facts.content,
    bodyForAgent: facts.bodyForAgent ?? facts.content,
    timestamp: facts.timestamp,
    channelId: facts.channelId,
    conversationId: facts.conversationId,
    messageId: facts.messageId,
    senderId: facts.senderId,
    senderName: facts.senderName,
    senderUsername: facts.senderUsername,
    provider: facts.channelId,
    surface: facts.channelId,
    ...(media.length > 0 ? { media } : {}),
    mediaPath: aliases.mediaPath,
    mediaType: aliases.mediaType,
  };
}

/** `message:preprocessed`'s context: the message once its files and links were read (or skipped), with `cfg`. */
export function messagePreprocessedContext(facts: InboundHookFacts, cfg: unknown): Record<string, unknown> {
  return {
    ...preparedBase(facts),
    transcript: facts.transcript,
    isGroup: facts.isGroup,
    groupId: facts.isGroup ? facts.groupId : undefined,
    cfg,
  };
}

/** `message:transcribed`'s context: as preprocessed's, with the required `transcript`. */
export function messageTranscribedContext(facts: InboundHookFacts, cfg: unknown): Record<string, unknown> {
  return { ...preparedBase(facts), transcript: facts.transcript ?? "", cfg };
}

/** One delivery outcome a channel reported. */
export interface SentHookFacts {
  to: string;
  content: string;
  success: boolean;
  error?: string | undefined;
  channelId: string;
  accountId?: string | undefined;
  messageId?: string | undefined;
  isGroup?: boolean | undefined;
  groupId?: string | undefined;
}

/** `message:sent`'s context: the target, the text, and whether it was sent (`error` only on a failure). */
export function messageSentContext(facts: SentHookFacts): Record<string, unknown> {
  return {
    to: facts.to,
    content: facts.content,
    success: facts.success,
    ...(facts.error ? { error: facts.error } : {}),
    channelId: facts.channelId,
    accountId: facts.accountId,
    conversationId: facts.to,
    messageId: facts.messageId,
    ...(facts.isGroup != null ? { isGroup: facts.isGroup } : {}),
    ...(facts.groupId ? { groupId: facts.groupId } : {}),
  };
}
