// A received file: downloaded through the socket (Baileys decrypts it) and kept in the media store,
// or, when that fails, the reference's notice in the message text instead.

import type { Logger } from "../../log/logger.ts";
import { type MediaStore, type StoredMedia } from "../../media/media_types.ts";
import { messageOf } from "../errors.ts";
import type { mediaOf } from "./inbound_message.ts";
import type { WaMessage, WaSocket } from "./socket.ts";

/** The reference's words when a file could not be fetched. */
export const MEDIA_UNAVAILABLE_NOTICE = "[whatsapp attachment unavailable]";

/** What downloading a message's file gives: the kept file, or a notice for the text. */
export interface SavedMedia {
  stored?: StoredMedia;
  notice?: string;
}

/** Downloads and keeps the file a message carries; never throws (the message is answered either way). */
export async function saveInboundMedia(
  input: {
    socket: WaSocket;
    raw: WaMessage;
    media: NonNullable<ReturnType<typeof mediaOf>>;
    store: MediaStore | undefined;
    maxBytes: number;
  },
  log: Logger,
): Promise<SavedMedia> {
  if (!input.store) return { notice: MEDIA_UNAVAILABLE_NOTICE };
  // The size the sender declared: a file over the limit is not downloaded at all (the download checks again).
  if (input.media.size !== undefined && input.media.size > input.maxBytes) {
    log.warn(
      `whatsapp: inbound ${input.media.kind} of ${input.raw.key?.id} not kept: ${input.media.size} bytes is over the limit`,
    );
    return { notice: MEDIA_UNAVAILABLE_NOTICE };
  }
  try {
    const bytes = await input.socket.downloadMedia(input.raw, input.maxBytes);
    const stored = await input.store.save(bytes, {
      direction: "inbound",
      mimeType: input.media.mimeType,
      fileName: input.media.fileName,
      voice: input.media.voice,
      maxBytes: input.maxBytes,
    });
    return { stored };
  } catch (error) {
    log.warn(`whatsapp: inbound ${input.media.kind} of ${input.raw.key?.id} not kept: ${messageOf(error)}`);
    return { notice: MEDIA_UNAVAILABLE_NOTICE };
  }
}
