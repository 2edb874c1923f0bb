// The files an answer names with `MEDIA:` lines, sent after its text: each checked and read through
// the gateway's media rules; one that cannot be sent is named in a notice, in the reference's words,
// and the others still go.
import type { Logger } from "../log/logger.ts";
import { chunkText } from "./chunk.ts";
import { messageOf } from "./errors.ts";
import { deliverFiles, mediaFailureNotice, type OutboundFile, type OutboundFiles } from "./media_delivery.ts";
import type { ChannelAccount, InboundMessage } from "./types.ts";

/** Sends the files an answer named to the chat it answers; failures become notices, never a lost answer. */
export async function sendAnswerFiles(
  deps: { files?: OutboundFiles | undefined; log: Logger },
  answer: {
    account: ChannelAccount;
    message: InboundMessage;
    agentId: string;
    references: string[];
    /** The answer asked for its audio as a voice note (`[[audio_as_voice]]`). */
    voice?: boolean | undefined;
  },
): Promise<void> {
  const { account, message, references } = answer;
  const files: (OutboundFile & { index: number })[] = [];
  const notices: string[] = [];
  const context = { agentId: answer.agentId, channel: message.channel, accountId: message.accountId };
  for (const [index, reference] of references.entries()) {
    try {
      if (!deps.files) throw new Error("this gateway has no media store");
      const media = await deps.files.resolve(reference, context);
      files.push({
        reference,
        index,
        media: answer.voice && media.kind === "audio" ? { ...media, voice: true } : media,
      });
    } catch (error) {
      deps.log.warn(`${message.channel}: answer file ${reference} for ${message.replyTo} refused: ${messageOf(error)}`);
      notices.push(mediaFailureNotice(reference, index, error));
    }
  }
  // Uploads go one by one, so a failed one is named alone and the others still go; a channel
  // without files sends them all as one text (its `Attachment:` lines).
  const batches = account.sendMedia ? files.map((file) => [file]) : files.length > 0 ? [files] : [];
  for (const batch of batches) {
    try {
      await deliverFiles(account, message.replyTo, batch);
    } catch (error) {
      deps.log.warn(`${message.channel}: sending answer files to ${message.replyTo} failed: ${messageOf(error)}`);
      notices.push(...batch.map((file) => mediaFailureNotice(file.reference, file.index, error)));
    }
  }
  if (notices.length === 0) return;
  for (const piece of chunkText(notices.join("\n"), account.textChunkLimit)) {
    await account.send(message.replyTo, piece).catch((error) =>
      deps.log.warn(`${message.channel}: reply to ${message.replyTo} failed: ${messageOf(error)}`)
    );
  }
}
