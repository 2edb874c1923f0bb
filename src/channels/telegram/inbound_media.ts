// The file a Telegram message carries (a photo, voice note, audio file, document or video), fetched
// as the reference fetches it: `getFile` for its path, then `<apiRoot>/file/bot<token>/<path>`, at
// most the account's `mediaMaxMb` (default 100) and never more than the 20 MB the Bot API serves bots;
// kept in the gateway's media store. A file that cannot be kept becomes the reference's reply.

import { MediaRefusedError, type MediaStore, type StoredMedia } from "../../media/media_types.ts";
import { isJsonObject } from "../../log/json_object.ts";
import { messageOf } from "../errors.ts";
import { readAtMost } from "../capped_body.ts";

/** The most the Bot API lets a bot download (larger files are refused by getFile). */
export const TELEGRAM_BOT_API_FILE_LIMIT_BYTES = 20 * 1024 * 1024;

/** The reference's replies when a file cannot be kept. */
export const tooLargeReply = (limitMb: number): string => `⚠️ File too large. Maximum size is ${limitMb}MB.`;
export const DOWNLOAD_FAILED_REPLY = "⚠️ Failed to download media. Please try again.";

/** The file of a message, as the Bot API describes it. */
export interface TelegramFileRef {
  fileId: string;
  /** The size Telegram reports, when it does. */
  size: number | undefined;
  mimeType: string | undefined;
  fileName: string | undefined;
  voice: boolean;
}

const record = (value: unknown): Record<string, unknown> | undefined => isJsonObject(value) ? value : undefined;

const text = (value: unknown): string | undefined => typeof value === "string" && value !== "" ? value : undefined;

function fileRef(value: unknown, voice: boolean): TelegramFileRef | undefined {
  const file = record(value);
  const fileId = text(file?.file_id);
  if (!file || !fileId) return undefined;
  return {
    fileId,
    size: typeof file.file_size === "number" ? file.file_size : undefined,
    mimeType: text(file.mime_type),
    fileName: text(file.file_name),
    voice,
  };
}

/** The file a message carries: a photo's largest size, else its voice note, audio, video or document. */
export function telegramFileOf(message: unknown): TelegramFileRef | undefined {
  const m = record(message);
  if (!m) return undefined;
  if (Array.isArray(m.photo) && m.photo.length > 0) {
    // Telegram lists a photo's sizes smallest first; the last is the original.
    return fileRef(m.photo.at(-1), false);
  }
  return fileRef(m.voice, true) ?? fileRef(m.audio, false) ?? fileRef(m.video, false) ??
    fileRef(m.video_note, false) ?? fileRef(m.animation, false) ?? fileRef(m.document, false);
}

/** What fetching a file needs: the Bot API call, the download root and token, the store and the limit. */
export interface TelegramFileFetch {
  getFile(fileId: string): Promise<{ file_path?: string | undefined }>;
  apiRoot: string;
  token: string;
  store: MediaStore;
  /** The account's `mediaMaxMb` in bytes. */
  maxBytes: number;
  fetch?: typeof fetch;
  /** How long the file server may take to answer, and to send more of the body (the reference's 120 s and 30 s). */
  timeouts?: { headersMs: number; idleMs: number } | undefined;
}

/** The reference's download timeouts: the answer's headers within 120 s, then no 30 s without data. */
const DOWNLOAD_TIMEOUTS = { headersMs: 120_000, idleMs: 30_000 };

/** The file kept in the store, or the reply saying why it was not (too large, download failed). */
export async function fetchTelegramFile(
  ref: TelegramFileRef,
  deps: TelegramFileFetch,
): Promise<{ media: StoredMedia } | { refused: string; reason: string }> {
  const limit = Math.min(deps.maxBytes, TELEGRAM_BOT_API_FILE_LIMIT_BYTES);
  const limitMb = Math.round(limit / 1_048_576);
  const tooLarge = { refused: tooLargeReply(limitMb), reason: `file exceeds the ${limitMb}MB limit` };
  if (ref.size !== undefined && ref.size > limit) return tooLarge;
  try {
    const file = await deps.getFile(ref.fileId);
    if (!file.file_path) throw new Error("Telegram getFile returned no file_path");
    const timeouts = deps.timeouts ?? DOWNLOAD_TIMEOUTS;
    // A stalled file server must not hold the message (and its replay) forever.
    const abort = new AbortController();
    const headersTimer = setTimeout(() => abort.abort(new Error("no answer in time")), timeouts.headersMs);
    const response = await (deps.fetch ?? fetch)(`${deps.apiRoot}/file/bot${deps.token}/${file.file_path}`, {
      signal: abort.signal,
    }).finally(() => clearTimeout(headersTimer));
    if (!response.ok) throw new Error(`download answered HTTP ${response.status}`);
    const bytes = await readAtMost(response, limit, timeouts.idleMs);
    if (!bytes) return tooLarge;
    const media = await deps.store.save(bytes, {
      direction: "inbound",
      mimeType: ref.mimeType,
      fileName: ref.fileName,
      voice: ref.voice || undefined,
      maxBytes: limit,
    });
    return { media };
  } catch (error) {
    if (error instanceof MediaRefusedError && /exceeds/.test(error.message)) return tooLarge;
    if (/file is too big/i.test(messageOf(error))) return tooLarge;
    return { refused: DOWNLOAD_FAILED_REPLY, reason: `download failed: ${messageOf(error)}` };
  }
}
