// The media store in the gateway: one store under `<stateDir>/media` lent to every channel account
// (`AccountHost.media`) and the agent's tools, its limits read from the config in force on each save,
// and the reference's maintenance sweep: once after readiness, then hourly, then stopped with the gateway.

import type { MediaSettings } from "../config/media_settings.ts";
import { joinPath } from "../config/posix_path.ts";
import { FileMediaStore } from "../media/file_store.ts";
import type { AgentsConfig } from "../agent/agents_config.ts";
import type { MediaUnderstanding, TranscriptOutcome } from "../channels/inbound_media.ts";
import type { AudioSettings } from "../config/media_audio_settings.ts";
import { modelAcceptsImages } from "../config/model_input.ts";
import type { EnvSnapshot } from "../config/paths.ts";
import type { ModelEntry } from "../config/resolve_agents.ts";
import { type ResolvedTranscriber, transcribeAudio } from "../media/transcribe.ts";
import { type CancelTimer, webInterval } from "../async/web_timer.ts";

/** The reference's media maintenance interval: hourly. */
export const MEDIA_PRUNE_INTERVAL_MS = 3_600_000;

/** Where the sweep reports (the gateway's `media` logger). */
export interface MediaLog {
  info(message: string): void;
  error(message: string): void;
}

/** The gateway's media store and its prune timer. */
export class MediaWiring {
  #store: FileMediaStore;
  #stopTimer: CancelTimer | undefined;
  #running: Promise<number> | undefined;
  #log: MediaLog;
  #intervalMs: number;

  constructor(options: {
    stateDir: string;
    /** The media settings in force (read per save and per sweep, so a reload applies at once). */
    settings: () => MediaSettings;
    log: MediaLog;
    intervalMs?: number;
  }) {
    this.#store = new FileMediaStore({
      root: joinPath(options.stateDir, "media"),
      maxBytes: () => options.settings().maxBytes,
      ttlMs: () => options.settings().ttlMs,
    });
    this.#log = options.log;
    this.#intervalMs = options.intervalMs ?? MEDIA_PRUNE_INTERVAL_MS;
  }

  /** The store every account saves downloads with. */
  get store(): FileMediaStore {
    return this.#store;
  }

  /** Starts the sweep: once now (after readiness), then on the interval. */
  start(): void {
    if (this.#stopTimer !== undefined) return;
    // Set as the gateway starts: the web platform's timer, so an idle gateway never loads Node's (async/web_timer.ts).
    this.#stopTimer = webInterval(this.#intervalMs, () => void this.prune());
    void this.prune();
  }

  /** One sweep (a sweep already running is joined, not doubled); failures are logged, never thrown. */
  prune(): Promise<number> {
    this.#running ??= this.#store.prune(Date.now())
      .then((removed) => {
        if (removed > 0) this.#log.info(`media cleanup removed ${removed} file(s)`);
        return removed;
      }, (error) => {
        this.#log.error(`media cleanup failed: ${error instanceof Error ? error.message : String(error)}`);
        return 0;
      })
      .finally(() => this.#running = undefined);
    return this.#running;
  }

  /** Stops the timer and waits for a sweep in flight. */
  async stop(): Promise<void> {
    this.#stopTimer?.();
    this.#stopTimer = undefined;
    await this.#running;
  }
}

/** The public APIs of the providers auto-detection may pick, when their `models.providers` entry gives none. */
const PROVIDER_BASE_URLS: Readonly<Record<string, string>> = {
  openai: "https://api.openai.com/v1",
  groq: "https://api.groq.com/openai/v1",
};

/**
 * What a message's files become for its run: images for an agent whose model reads them, voice notes
 * transcribed by `tools.media.audio`'s endpoints with the providers' credentials (the entry's provider in
 * `models.providers`, else `<PROVIDER>_API_KEY` in the gateway's environment), as the reference resolves them.
 */
export function mediaUnderstanding(deps: {
  store: FileMediaStore;
  agents: () => AgentsConfig;
  models: () => readonly ModelEntry[];
  audio: () => AudioSettings;
  env: EnvSnapshot;
  log: MediaLog;
  fetch?: typeof fetch;
}): MediaUnderstanding {
  return {
    acceptsImages: (agentId) =>
      modelAcceptsImages(deps.models(), deps.agents().agents.find((agent) => agent.id === agentId)?.model),
    read: async (path) => (await deps.store.read(path, Number.MAX_SAFE_INTEGER)).bytes,
    echo: (transcript) => {
      const audio = deps.audio();
      return audio.echoTranscript ? audio.echoFormat.replaceAll("{transcript}", transcript) : undefined;
    },
    transcribe: async (media): Promise<TranscriptOutcome> => {
      const audio = deps.audio();
      if (!audio.enabled) return { kind: "disabled" };
      const providers = deps.agents().providers;
      const transcribers: ResolvedTranscriber[] = audio.transcribers.flatMap((entry) => {
        const provider = providers.get(entry.provider);
        const baseUrl = entry.baseUrl ?? provider?.baseUrl ?? PROVIDER_BASE_URLS[entry.provider];
        if (!baseUrl) return [];
        const apiKey = provider?.apiKey ?? deps.env[`${entry.provider.toUpperCase().replace(/-/g, "_")}_API_KEY`];
        return [{ ...entry, baseUrl, apiKey, headers: { ...provider?.headers, ...entry.headers } }];
      });
      if (transcribers.length === 0) return { kind: "unconfigured" };
      const { bytes } = await deps.store.read(media.path, Number.MAX_SAFE_INTEGER);
      const result = await transcribeAudio(media, bytes, transcribers, deps.fetch);
      if (result.ok) {
        deps.log.info(`audio: transcribed ${media.path.split("/").pop()} with ${result.provider}/${result.model}`);
        return { kind: "text", text: result.text };
      }
      deps.log.error(`audio: failed (0/${transcribers.length}) ${result.reasons.join("; ")}`);
      return { kind: result.tooSmall ? "too-small" : "failed" };
    },
  };
}
