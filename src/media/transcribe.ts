// Speech to text before the run, as the reference's audio understanding does it for OpenAI-compatible
// providers: the file as a multipart `file` with `model` (and `language`, `prompt` when configured) to
// `<baseUrl>/audio/transcriptions`, `Authorization: Bearer <key>`, the answer's `text`. Entries are
// tried in order; one that fails or refuses the file (too large, too small) hands over to the next. The
// endpoint comes from the owner's config, so no SSRF guard applies; a redirect, though, is never followed.

import type { AudioTranscriber } from "../config/media_audio_settings.ts";
import { isJsonObject } from "../log/json_object.ts";
import type { StoredMedia } from "./media_types.ts";

/** Audio below this many bytes is not sent (the reference's floor: it holds no speech). */
export const MIN_AUDIO_BYTES = 1024;

/** An endpoint made callable: the entry with its base URL and key resolved. */
export interface ResolvedTranscriber extends AudioTranscriber {
  baseUrl: string;
  apiKey: string | undefined;
}

/** How a transcription ended: the words, or why there are none (each entry's reason). */
export type TranscriptionResult =
  | { ok: true; text: string; provider: string; model: string }
  | { ok: false; reasons: string[]; tooSmall: boolean };

/** Transcribes one kept audio file with the first entry that answers. */
export async function transcribeAudio(
  media: StoredMedia,
  bytes: Uint8Array,
  transcribers: readonly ResolvedTranscriber[],
  fetcher: typeof fetch = fetch,
): Promise<TranscriptionResult> {
  const reasons: string[] = [];
  if (bytes.byteLength < MIN_AUDIO_BYTES) return { ok: false, reasons: ["tooSmall"], tooSmall: true };
  for (const entry of transcribers) {
    const label = `${entry.provider}/${entry.model}`;
    if (bytes.byteLength > entry.maxBytes) {
      reasons.push(`${label}: tooLarge (${bytes.byteLength} > ${entry.maxBytes} bytes)`);
      continue;
    }
    try {
      const form = new FormData();
      const name = media.path.split("/").pop() ?? "audio";
      form.append("file", new Blob([bytes.slice()], { type: media.mimeType }), name);
      form.append("model", entry.model);
      if (entry.language) form.append("language", entry.language);
      if (entry.prompt) form.append("prompt", entry.prompt);
      const response = await fetcher(`${entry.baseUrl.replace(/\/+$/, "")}/audio/transcriptions`, {
        method: "POST",
        headers: { ...(entry.apiKey ? { authorization: `Bearer ${entry.apiKey}` } : {}), ...entry.headers },
        body: form,
        signal: AbortSignal.timeout(entry.timeoutMs),
        // The key, the entry's headers and the audio go to the configured endpoint only: never after a redirect.
        redirect: "manual",
      });
      if (response.status >= 300 && response.status < 400) {
        await response.body?.cancel();
        throw new Error(
          `HTTP ${response.status}: the endpoint redirects; redirects are not followed (set its baseUrl)`,
        );
      }
      const body: unknown = await response.json().catch(() => undefined);
      if (!response.ok) {
        const detail = isJsonObject(body) && isJsonObject(body.error) ? body.error.message : undefined;
        throw new Error(`HTTP ${response.status}${typeof detail === "string" ? `: ${detail}` : ""}`);
      }
      const text = isJsonObject(body) && typeof body.text === "string" ? body.text.trim() : undefined;
      if (text === undefined) throw new Error("the answer carries no text");
      const cut = entry.maxChars !== undefined ? text.slice(0, entry.maxChars) : text;
      return { ok: true, text: cut, provider: entry.provider, model: entry.model };
    } catch (error) {
      reasons.push(`${label}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { ok: false, reasons, tooSmall: false };
}
