// Files on Telegram as the reference sends them: a photo with sendPhoto (sendDocument when Telegram
// refuses its dimensions), a GIF with sendAnimation, video with sendVideo, a voice note with sendVoice
// (OGG/Opus, MP3, M4A), other audio with sendAudio, anything else with sendDocument; all multipart
// uploads. The text goes as the caption up to Telegram's 1024 characters, else after the file.
import { type Api, InputFile } from "grammy/web";
import type { OutboundMedia } from "../../media/media_types.ts";
import { chunkText } from "../chunk.ts";

/** Telegram's caption limit (the reference's TELEGRAM_MAX_CAPTION_LENGTH). */
export const TELEGRAM_MAX_CAPTION_LENGTH = 1024;

/** The Bot API method a file goes out with. */
export type TelegramMediaMethod =
  | "sendPhoto"
  | "sendAnimation"
  | "sendVideo"
  | "sendVoice"
  | "sendAudio"
  | "sendDocument";

/** Audio Telegram plays as a voice note (the reference's isVoiceMessageCompatibleAudio). */
function voiceCompatible(media: OutboundMedia): boolean {
  const type = media.mimeType.toLowerCase();
  const name = (media.fileName ?? media.path).toLowerCase();
  return /^audio\/(ogg|opus|mpeg|mp3|mp4|x-m4a|m4a)\b/.test(type) || /\.(ogg|opus|oga|mp3|m4a)$/.test(name);
}

/** Which method sends this file, as the reference's resolveTelegramOutboundMediaSenders picks it. */
export function telegramMediaMethod(media: OutboundMedia): TelegramMediaMethod {
  const type = media.mimeType.toLowerCase();
  if (type === "image/gif") return "sendAnimation";
  if (media.kind === "image") return "sendPhoto";
  if (media.kind === "video") return "sendVideo";
  if (media.kind === "audio") return media.voice && voiceCompatible(media) ? "sendVoice" : "sendAudio";
  return "sendDocument";
}

/** Telegram refused a photo's size or dimensions: the reference sends it again as a document. */
function isPhotoLimitError(error: unknown): boolean {
  return error instanceof Error && /\b(?:PHOTO_INVALID_DIMENSIONS|PHOTO_TOO_BIG)\b/i.test(error.message);
}

async function call(
  api: Api,
  method: TelegramMediaMethod,
  chatId: number | string,
  file: InputFile,
  caption: string | undefined,
  thread: { message_thread_id?: number },
): Promise<{ message_id: number }> {
  const other = { ...thread, ...(caption ? { caption } : {}) };
  switch (method) {
    case "sendPhoto":
      return await api.sendPhoto(chatId, file, other);
    case "sendAnimation":
      return await api.sendAnimation(chatId, file, other);
    case "sendVideo":
      return await api.sendVideo(chatId, file, other);
    case "sendVoice":
      return await api.sendVoice(chatId, file, other);
    case "sendAudio":
      return await api.sendAudio(chatId, file, other);
    case "sendDocument":
      return await api.sendDocument(chatId, file, other);
  }
}

/** Uploads one file (and its text) to a chat, into its forum topic when `thread` names one; returns the id of the last message sent. */
export async function sendTelegramMedia(
  api: Api,
  chatId: number | string,
  media: OutboundMedia,
  options: { textChunkLimit: number; thread?: { message_thread_id?: number } | undefined },
): Promise<{ messageId: string }> {
  const bytes = await Deno.readFile(media.path);
  const name = media.fileName ?? media.path.split("/").pop() ?? "file";
  const text = media.caption?.trim() ?? "";
  const caption = text && text.length <= TELEGRAM_MAX_CAPTION_LENGTH ? text : undefined;
  const method = telegramMediaMethod(media);
  const thread = options.thread ?? {};
  let sent: { message_id: number };
  try {
    sent = await call(api, method, chatId, new InputFile(bytes, name), caption, thread);
  } catch (error) {
    if (method !== "sendPhoto" || !isPhotoLimitError(error)) throw error;
    sent = await call(api, "sendDocument", chatId, new InputFile(bytes, name), caption, thread);
  }
  // A caption too long for Telegram goes after the file, as the reference's follow-up text.
  if (text && !caption) {
    for (const piece of chunkText(text, options.textChunkLimit)) sent = await api.sendMessage(chatId, piece, thread);
  }
  return { messageId: String(sent.message_id) };
}
