// The messages of the transcripts a connection's turns read, kept between turns: a turn sends the model the
// whole history, and parsing every message event of a long session again at each turn grew the turn's cost
// with the session (5 ms and 2.5 ms of garbage collection at 1,100 messages). A transcript only grows by
// appends, so a kept one is extended by the events after its newest; the messages are frozen, because every
// later turn shares them.
import type { TranscriptMessage } from "./transcript.ts";
import { deepFreeze } from "../state/deep_freeze.ts";

/**
 * Event text kept across an agent's transcripts (JSON characters; the parsed messages take about twice that, so
 * under 10 MB of heap): a few sessions of a thousand turns of a few hundred words. A transcript larger than
 * this is not kept; its turns read it whole, as before.
 */
export const MAX_KEPT_TRANSCRIPT_CHARS = 4_000_000;

/** A transcript's messages as they were read, and the newest message event they were read up to. */
export interface KeptTranscript {
  /** The seq and event id of the newest message event read: the next read starts there and checks it is still there. */
  seq: number;
  eventId: string;
  /** Appended to in place by the read that extends it (after {@link KeptTranscripts.take}); callers get copies. */
  messages: TranscriptMessage[];
  /** The event text the messages were parsed from, counted against {@link MAX_KEPT_TRANSCRIPT_CHARS}. */
  chars: number;
}

/** Kept transcripts by session id, the most recently read last, bounded by their event text. */
export class KeptTranscripts {
  #kept = new Map<string, KeptTranscript>();
  #chars = 0;
  #maxChars: number;

  constructor(maxChars = MAX_KEPT_TRANSCRIPT_CHARS) {
    this.#maxChars = maxChars;
  }

  /** The transcript kept for `sessionId`, taken out (a read puts it back with {@link keep} once it is current). */
  take(sessionId: string): KeptTranscript | undefined {
    const kept = this.#kept.get(sessionId);
    if (kept) this.#drop(sessionId, kept);
    return kept;
  }

  /** Keeps a transcript as the most recently read; the least recently read go while the bound is exceeded. */
  keep(sessionId: string, transcript: KeptTranscript): void {
    const old = this.#kept.get(sessionId);
    if (old) this.#drop(sessionId, old);
    if (transcript.chars > this.#maxChars) return;
    this.#kept.set(sessionId, transcript);
    this.#chars += transcript.chars;
    for (const [id, oldest] of this.#kept) {
      if (this.#chars <= this.#maxChars) break;
      this.#drop(id, oldest);
    }
  }

  /** Forgets every kept transcript (another connection committed, or a maintenance write ran). */
  clear(): void {
    this.#kept.clear();
    this.#chars = 0;
  }

  /** How many transcripts and characters are kept. */
  get size(): { transcripts: number; chars: number } {
    return { transcripts: this.#kept.size, chars: this.#chars };
  }

  #drop(sessionId: string, kept: KeptTranscript): void {
    this.#kept.delete(sessionId);
    this.#chars -= kept.chars;
  }
}

/** Freezes a parsed message and everything in it, so a caller that changes a shared message fails at once. */
export function frozenMessage(message: TranscriptMessage): TranscriptMessage {
  return deepFreeze(message);
}
