// Files on Discord as the reference sends them: one message create with the file as a multipart
// attachment (`files[0]` + `payload_json` with `attachments: [{id, filename}]`) whose content is the
// first piece of the text, then the rest of the text as plain messages. A file Discord rejects as
// too large is replaced by the reference's notice, so the text still arrives.
import { DiscordAPIError, type REST } from "@discordjs/rest";
import { Routes } from "discord-api-types/v10";
import type { OutboundMedia } from "../../media/media_types.ts";
import { chunkText } from "../chunk.ts";
import { splitByLines } from "./lines.ts";
import { idOf } from "./rest_shapes.ts";

/** The reference's notice when Discord refuses an upload's size (DISCORD_UPLOAD_TOO_LARGE_NOTICE). */
export const DISCORD_UPLOAD_TOO_LARGE_NOTICE = "Attachment skipped: Discord rejected the file as too large.";

/** How a Discord send is shaped for this account. */
export interface DiscordMediaOptions {
  textChunkLimit: number;
  maxLinesPerMessage: number;
  /** Message flags every post carries (SuppressEmbeds when configured). */
  flags?: number | undefined;
}

function isTooLarge(error: unknown): boolean {
  return error instanceof DiscordAPIError && (error.code === 40005 || error.status === 413);
}

/** Posts one file with its text to a channel; returns the id of the message that carries the file. */
export async function sendDiscordMedia(
  rest: REST,
  channelId: string,
  media: OutboundMedia,
  options: DiscordMediaOptions,
): Promise<{ messageId: string }> {
  const text = media.caption?.trim() ?? "";
  const pieces = text
    ? chunkText(text, options.textChunkLimit).flatMap((piece) => splitByLines(piece, options.maxLinesPerMessage))
    : [];
  const [first = "", ...more] = pieces;
  const name = media.fileName ?? media.path.split("/").pop() ?? "upload";
  const flags = options.flags ? { flags: options.flags } : {};
  const post = async (
    body: Record<string, unknown>,
    files?: { name: string; data: Uint8Array; contentType: string }[],
  ) =>
    idOf(await rest.post(Routes.channelMessages(channelId), { body, ...(files ? { files } : {}) }), "a message post");
  let messageId: string;
  try {
    const data = await Deno.readFile(media.path);
    messageId = await post(
      { content: first, attachments: [{ id: 0, filename: name }], ...flags },
      [{ name, data, contentType: media.mimeType }],
    );
  } catch (error) {
    if (!isTooLarge(error)) throw error;
    messageId = await post({
      content: first.trim() ? `${first}\n\n[${DISCORD_UPLOAD_TOO_LARGE_NOTICE}]` : DISCORD_UPLOAD_TOO_LARGE_NOTICE,
      ...flags,
    });
  }
  for (const piece of more) await post({ content: piece, ...flags });
  return { messageId };
}
