// What `openclaw mcp serve` makes of the gateway's session rows and transcript messages, as the reference's
// bridge reads them: a conversation is a session with a route (channel and recipient) it can be answered on.
import { isJsonObject } from "../log/json_object.ts";

/** A session that can be answered through its stored route. */
export interface ChannelConversation {
  sessionKey: string;
  channel: string;
  to: string;
  accountId?: string | undefined;
  threadId?: string | number | undefined;
  label?: string | undefined;
  displayName?: string | undefined;
  derivedTitle?: string | undefined;
  lastMessagePreview?: string | undefined;
  updatedAt: number | null;
}

function text(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

function record(value: unknown): Record<string, unknown> {
  return isJsonObject(value) ? value : {};
}

function threadOf(value: unknown): string | number | undefined {
  return typeof value === "string" || typeof value === "number" ? value : undefined;
}

/**
 * The conversation of a session row (`sessions.list`/`sessions.describe`), or null when the row has no
 * channel or no recipient: such a session cannot be answered, so the bridge does not list it.
 */
export function conversationOf(row: Record<string, unknown>): ChannelConversation | null {
  const delivery = record(row.deliveryContext);
  const origin = record(row.origin);
  const channel = (text(delivery.channel) ?? text(row.lastChannel) ?? text(row.channel) ?? text(origin.provider))
    ?.toLowerCase();
  const to = text(delivery.to) ?? text(row.lastTo);
  if (!channel || !to) return null;
  // Keys are kept even when undefined: JSON drops them, as the reference's answers do.
  return {
    sessionKey: String(row.key),
    channel,
    to,
    accountId: text(delivery.accountId) ?? text(row.lastAccountId) ?? text(origin.accountId),
    threadId: threadOf(delivery.threadId) ?? threadOf(row.lastThreadId) ?? threadOf(origin.threadId),
    label: text(row.label),
    displayName: text(row.displayName),
    derivedTitle: text(row.derivedTitle),
    lastMessagePreview: text(row.lastMessagePreview),
    updatedAt: typeof row.updatedAt === "number" ? row.updatedAt : null,
  };
}

/** A transcript message's id: its own `id`, else the one the gateway put under `__openclaw`. */
export function messageIdOf(message: Record<string, unknown>): string | undefined {
  return text(message.id) ?? text(record(message.__openclaw).id);
}

/** The text of a message as the bridge reports it: string content, else the first block's `text`. */
export function firstTextOf(message: unknown): string | undefined {
  if (!isJsonObject(message)) return undefined;
  const content = message.content;
  if (typeof content === "string") return content;
  if (!Array.isArray(content) || content.length === 0) return undefined;
  const first = content[0];
  return isJsonObject(first) && typeof first.text === "string" ? first.text : undefined;
}

function meaningfulMedia(media: Record<string, unknown>): boolean {
  const filled = (key: string) => typeof media[key] === "string" && (media[key] as string).trim() !== "";
  return filled("path") || filled("url") || filled("contentType") ||
    (filled("kind") && media.kind !== "unknown");
}

/**
 * A message's attachments: its non-text content blocks, then each persisted media fact
 * (`__openclaw.media`) that names a file, URL, type or kind, as `{ type: "openclaw_media", media }`.
 */
export function attachmentsOf(message: unknown): Record<string, unknown>[] {
  if (!isJsonObject(message)) return [];
  const content = Array.isArray(message.content) ? message.content : [];
  const blocks = content.filter((block): block is Record<string, unknown> =>
    isJsonObject(block) && text(block.type) !== "text"
  );
  const stored = record(message.__openclaw).media;
  const media = (Array.isArray(stored) ? stored : []).filter(isJsonObject).filter(meaningfulMedia).map((fact) => ({
    type: "openclaw_media",
    media: Object.fromEntries(Object.entries(fact).filter(([, value]) => value !== undefined && value !== null)),
  }));
  return [...blocks, ...media];
}
