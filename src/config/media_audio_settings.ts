// `tools.media.audio` and the audio entries of `tools.media.models`, read as the reference reads them:
// voice notes and audio files are transcribed before the run by the first entry that answers. An
// entry is a provider with an OpenAI-compatible `/audio/transcriptions` endpoint (its `baseUrl`, else
// `tools.media.audio.baseUrl`, else the provider's `models.providers.<id>.baseUrl`, else the provider's
// public API). With no audio entry, a configured OpenAI or Groq provider is used (the reference's
// auto-detection order among providers this gateway can reach). `enabled: false` turns it off.

import { secondsToTimerMs } from "../async/timer_ms.ts";
import { isJsonObject } from "../log/json_object.ts";
import type { RawConfig } from "./schema.ts";

/** One transcription endpoint to try. */
export interface AudioTranscriber {
  provider: string;
  model: string;
  /** Set when the entry or the audio section names one; else the provider's own (resolved by the caller). */
  baseUrl: string | undefined;
  headers: Record<string, string>;
  language: string | undefined;
  prompt: string | undefined;
  timeoutMs: number;
  maxBytes: number;
  maxChars: number | undefined;
}

/** What transcription reads: whether it is on, the endpoints in order, the echo switch. */
export interface AudioSettings {
  enabled: boolean;
  transcribers: AudioTranscriber[];
  echoTranscript: boolean;
  echoFormat: string;
}

/** The reference's default model per provider (its auto-detection defaults). */
const DEFAULT_MODELS: Readonly<Record<string, string>> = {
  openai: "gpt-4o-transcribe",
  groq: "whisper-large-v3-turbo",
};
/** The providers auto-detection tries, in the reference's order, among those this gateway can call. */
const AUTO_PROVIDERS = ["groq", "openai"];
/** The reference's audio size cap (20 MB) and timeout (60 s). */
const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
const DEFAULT_TIMEOUT_S = 60;

const str = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
const posInt = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isInteger(value) && value > 0 ? value : undefined;

function headersOf(value: unknown): Record<string, string> {
  if (!isJsonObject(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
}

/** The audio settings of the config as written. */
export function audioSettings(config: RawConfig): AudioSettings {
  const tools = isJsonObject(config.tools) ? config.tools : {};
  const media = isJsonObject(tools.media) ? tools.media : {};
  const audio = isJsonObject(media.audio) ? media.audio : {};
  const providers = isJsonObject(config.models) && isJsonObject(config.models.providers) ? config.models.providers : {};
  const entry = (raw: Record<string, unknown>, provider: string): AudioTranscriber => ({
    provider,
    model: str(raw.model) ?? DEFAULT_MODELS[provider] ?? "whisper-1",
    baseUrl: str(raw.baseUrl) ?? str(audio.baseUrl),
    headers: { ...headersOf(audio.headers), ...headersOf(raw.headers) },
    language: str(raw.language) ?? str(audio.language),
    prompt: str(raw.prompt) ?? str(audio.prompt),
    // Timer-safe: a delay past ~24.8 days would abort the request at once.
    timeoutMs: secondsToTimerMs(posInt(raw.timeoutSeconds) ?? posInt(audio.timeoutSeconds) ?? DEFAULT_TIMEOUT_S),
    maxBytes: posInt(raw.maxBytes) ?? posInt(audio.maxBytes) ?? DEFAULT_MAX_BYTES,
    maxChars: posInt(raw.maxChars) ?? posInt(audio.maxChars),
  });
  const listed = (Array.isArray(media.models) ? media.models : []).flatMap((raw) => {
    if (!isJsonObject(raw) || raw.type === "cli") return [];
    const provider = str(raw.provider);
    const capabilities = Array.isArray(raw.capabilities) ? raw.capabilities : undefined;
    if (!provider || (capabilities && !capabilities.includes("audio"))) return [];
    return [entry(raw, provider)];
  });
  const preferred = str(audio.preferredModel);
  if (preferred) {
    listed.sort((a, b) =>
      Number(`${b.provider}/${b.model}` === preferred) - Number(`${a.provider}/${a.model}` === preferred)
    );
  }
  const transcribers = listed.length > 0
    ? listed
    : AUTO_PROVIDERS.filter((id) => isJsonObject(providers[id])).map((id) => entry({}, id));
  return {
    enabled: audio.enabled !== false,
    transcribers,
    echoTranscript: audio.echoTranscript === true,
    echoFormat: str(audio.echoFormat) ?? '📝 "{transcript}"',
  };
}
