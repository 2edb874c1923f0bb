// Sending files on a channel: through the account's own upload (Telegram, Discord, ...) with the
// text as the first file's caption, or, on a channel that carries no files (IRC), as the reference's
// IRC plugin does: the text with an `Attachment: <reference>` line per file.
import { OutboundMediaError } from "../media/outbound_refusal.ts";
import type { StoredMedia } from "../media/media_types.ts";
import { chunkText } from "./chunk.ts";
import type { ChannelAccount, ChannelId } from "./types.ts";

/** A file to send: what the answer or the caller named, and the checked file it names. */
export interface OutboundFile {
  /** The reference as named (a path or URL): what a channel without files shows. */
  reference: string;
  media: StoredMedia;
}

/** Who is sending, so the files are checked against the right workspace and size limit. */
export interface OutboundFilesContext {
  /** The agent whose workspace the files may come from; the default agent when absent. */
  agentId?: string | undefined;
  channel: ChannelId;
  accountId: string;
}

/** Checks and reads the files a send or an answer names (the gateway's media rules and store). */
export interface OutboundFiles {
  /** Each reference checked and read, in order; a refused one throws a `MediaRefusedError` naming it. */
  resolve(reference: string, context: OutboundFilesContext): Promise<StoredMedia>;
  /** Keeps bytes handed over as base64 (the `buffer` argument) in the store's outbound side. */
  saveBuffer(
    buffer: string,
    input: { fileName?: string | undefined; mimeType?: string | undefined },
    context: OutboundFilesContext,
  ): Promise<StoredMedia>;
}

/** The reference's per-failure notices in a chat (REPLY_MEDIA_FAILURE_MESSAGES). */
const FAILURE_MESSAGES = {
  "file-not-found": "File not found. Check the path and try again.",
  "unsupported-format": "Rejected by the local attachment allowlist. Send a supported file type.",
  "delivery-failed": "Delivery failed. Try sending this file again.",
} as const;

/** The chat's notice for a file that could not be sent, as the reference words it: `⚠️ <name>: <why>`. */
export function mediaFailureNotice(reference: string, index: number, error: unknown): string {
  let source = reference.trim();
  if (/^[a-z][a-z0-9+.-]*:/i.test(source)) {
    try {
      source = new URL(source).pathname;
    } catch {
      // Not a URL after all: its own last segment.
    }
  }
  const label = source.split(/[/\\]/).pop()?.trim().slice(0, 120) || `Attachment ${index + 1}`;
  const code = error instanceof OutboundMediaError && error.code !== "not-allowed" ? error.code : "delivery-failed";
  return `⚠️ ${label}: ${FAILURE_MESSAGES[code]}`;
}

/** The text a channel without files sends: the reference's `formatTextWithAttachmentLinks`. */
export function textWithAttachmentLinks(text: string | undefined, references: string[]): string {
  const trimmed = text?.trim() ?? "";
  const links = references.map((reference) => `Attachment: ${reference}`).join("\n");
  if (!trimmed) return links;
  return links ? `${trimmed}\n\n${links}` : trimmed;
}

/**
 * Sends files (and the text that goes with them) to a target, in order; returns the last
 * message id. The first file carries the text as its caption; the account decides what happens
 * when the caption is longer than its network allows (sent after the file, as the reference does).
 */
export async function deliverFiles(
  account: ChannelAccount,
  target: string,
  files: OutboundFile[],
  text?: string | undefined,
): Promise<{ messageId?: string | undefined; messages: number }> {
  if (!account.sendMedia) {
    const pieces = chunkText(
      textWithAttachmentLinks(text, files.map((file) => file.reference)),
      account.textChunkLimit,
    );
    let messageId: string | undefined;
    for (const piece of pieces) messageId = (await account.send(target, piece)).messageId ?? messageId;
    return { messageId, messages: pieces.length };
  }
  let messageId: string | undefined;
  for (const [index, file] of files.entries()) {
    const caption = index === 0 && text?.trim() ? text.trim() : undefined;
    messageId = (await account.sendMedia(target, { ...file.media, caption })).messageId ?? messageId;
  }
  return { messageId, messages: files.length };
}
