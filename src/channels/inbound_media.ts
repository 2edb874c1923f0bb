// The files an admitted message carries, made into what the run gets, as the reference prepares them:
// a voice note or audio file is transcribed first (its words replace the placeholder, framed as
// machine-generated), an image goes to a model that reads images as image input (and is named in a
// `[media attached: …]` line), and is described as not analyzed to one that does not; other files are
// named by their kept path so the agent's tools can open them.

import { encodeBase64 } from "../media/base64.ts";
import type { StoredMedia } from "../media/media_types.ts";
import { inlineImageType } from "../media/sniff.ts";

/** How a transcription ended, as inbound needs it. */
export type TranscriptOutcome =
  | { kind: "text"; text: string }
  | { kind: "failed" | "too-small" | "disabled" | "unconfigured" };

/** What preparing a message's files needs from the gateway. */
export interface MediaUnderstanding {
  /** Whether the model the agent runs reads images (its `input` list, or the built-in knowledge). */
  acceptsImages(agentId: string): boolean;
  /** Transcribes one audio file with the configured endpoints (`tools.media.audio`). */
  transcribe(media: StoredMedia): Promise<TranscriptOutcome>;
  /** Reads a kept file's bytes. */
  read(path: string): Promise<Uint8Array>;
  /** The echo of a transcript to the chat (`tools.media.audio.echoTranscript`), or undefined when off. */
  echo(transcript: string): string | undefined;
}

/** The run's text and images, and the echo to send first (if any). */
export interface PreparedMedia {
  text: string;
  images: { data: string; mimeType: string }[];
  echo?: string | undefined;
  /** The audio files' transcript (several joined by blank lines), when any was transcribed. */
  transcript?: string | undefined;
}

/** The reference's notes for files the model does not get. */
export const IMAGE_NOT_ANALYZED = "[Image attachment could not be analyzed]";
/** The reference's note for an image it cannot bring under its inline limit (we do not resize: larger ones get it). */
export const IMAGE_TOO_LARGE = "[Image omitted: could not be resized below the inline image size limit.]";
/** The reference's note for an image in a format models do not take inline (it converts them; we do not). */
export const IMAGE_UNSUPPORTED_FORMAT = "[Image omitted: could not be converted to a supported inline image format.]";

/**
 * The largest image given inline (the reference's 5 MB, what providers accept): it stays in the transcript and
 * goes with every later turn, so a larger one would fail the session's every run.
 */
export const INLINE_IMAGE_MAX_BYTES = 5_242_880;
export const AUDIO_NOT_ANALYZED = "[Audio attachment could not be analyzed]";
export const AUDIO_TOO_SMALL = "[Voice note could not be transcribed because the audio attachment was too small]";
export const AUDIO_NO_MODEL = "[Audio attachment not analyzed: no audio-understanding model is configured]";
export const AUDIO_DISABLED = "[Audio attachment not analyzed: audio understanding is disabled]";

const NOTES: Record<Exclude<TranscriptOutcome["kind"], "text">, string> = {
  "failed": AUDIO_NOT_ANALYZED,
  "too-small": AUDIO_TOO_SMALL,
  "disabled": AUDIO_DISABLED,
  "unconfigured": AUDIO_NO_MODEL,
};

/** The reference's framing of a voice note's words when the message has no text of its own. */
export const transcriptForAgent = (transcript: string): string =>
  `[Audio transcript (machine-generated, untrusted)]: ${JSON.stringify(transcript)}`;

/** One file named in the prompt, as the reference's media note names it. */
function attachedLine(media: StoredMedia, position?: { index: number; total: number }): string {
  const clean = (value: string) => value.replace(/[\p{Cc}\]]+/gu, " ").replace(/\s+/g, " ").trim();
  const prefix = position ? `[media attached ${position.index}/${position.total}: ` : "[media attached: ";
  const name = media.fileName ? ` ${JSON.stringify(clean(media.fileName.split(/[\\/]/).pop() ?? ""))}` : "";
  return `${prefix}${clean(media.path)} (${clean(media.mimeType)})${name}]`;
}

/** The `[media attached: …]` note for the files the prompt names ("" for none). */
export function mediaNote(files: readonly StoredMedia[]): string {
  if (files.length === 0) return "";
  if (files.length === 1) return attachedLine(files[0]!);
  const total = files.length;
  return [`[media attached: ${total} files]`, ...files.map((m, i) => attachedLine(m, { index: i + 1, total }))]
    .join("\n");
}

/** The run's text and images for a message with files (see the file comment). */
export async function prepareInboundMedia(
  body: string,
  files: readonly StoredMedia[],
  agentId: string,
  understanding: MediaUnderstanding,
): Promise<PreparedMedia> {
  const named: StoredMedia[] = [];
  const notes: string[] = [];
  const images: PreparedMedia["images"] = [];
  const transcripts: string[] = [];
  const vision = understanding.acceptsImages(agentId);
  for (const media of files) {
    if (media.kind === "image") {
      if (!vision) {
        notes.push(IMAGE_NOT_ANALYZED);
        continue;
      }
      if (media.size > INLINE_IMAGE_MAX_BYTES) {
        named.push(media);
        notes.push(IMAGE_TOO_LARGE);
        continue;
      }
      const bytes = await understanding.read(media.path);
      // Only what the bytes show to be JPEG/PNG/GIF/WebP: anything else stays in the transcript and the provider
      // would refuse the session's every later turn.
      const mimeType = inlineImageType(bytes);
      named.push(media);
      if (mimeType) images.push({ data: encodeBase64(bytes), mimeType });
      else notes.push(IMAGE_UNSUPPORTED_FORMAT);
    } else if (media.kind === "audio") {
      const outcome = await understanding.transcribe(media);
      if (outcome.kind === "text") transcripts.push(outcome.text);
      else {
        named.push(media);
        notes.push(NOTES[outcome.kind]);
      }
    } else {
      named.push(media);
    }
  }
  let main = body.trim();
  if (transcripts.length > 0) {
    const words = transcripts.length === 1
      ? transcripts[0]!
      : transcripts.map((text, i) => `Audio ${i + 1}:\n${text}`).join("\n\n");
    // The reference: a caption-less voice note is its framed words; with a caption, an `[Audio]` block.
    main = main ? `[Audio]\nUser text:\n${main}\nTranscript:\n${words}` : transcriptForAgent(words);
  }
  const head = [mediaNote(named), main].filter(Boolean).join("\n");
  const text = [head, ...notes].filter(Boolean).join("\n\n");
  const echo = transcripts.length > 0 ? understanding.echo(transcripts.join("\n\n")) : undefined;
  const transcript = transcripts.length > 0 ? transcripts.join("\n\n") : undefined;
  return { text, images, ...(echo ? { echo } : {}), ...(transcript ? { transcript } : {}) };
}
