// Writes a run's tool steps to its transcript: a step's assistant message (its tool calls) is
// written before its first tool runs, so a crash mid-tool leaves the call on disk (replay answers
// it); results are batched, written with the next step's calls, at most one interval after the
// last write, or by the answer's commit.
import type { TranscriptMessage } from "../sessions/store.ts";

/** How long quick tool steps may wait to share a transcript commit. */
export const STEP_WRITE_INTERVAL_MS = 250;

/** The tool-step messages of one run, on their way to the transcript. */
export class StepWriter {
  #write: (messages: TranscriptMessage[]) => Promise<void>;
  #intervalMs: number;
  #pending: TranscriptMessage[] = [];
  #lastWrite = Date.now();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #background: Promise<void> | undefined;

  constructor(write: (messages: TranscriptMessage[]) => Promise<void>, intervalMs = STEP_WRITE_INTERVAL_MS) {
    this.#write = write;
    this.#intervalMs = intervalMs;
  }

  /** Queues a message of the current step. */
  add(message: TranscriptMessage): void {
    this.#pending.push(message);
  }

  /** A step's assistant message (its tool calls), with what is still pending before it: written now. */
  async writeCalls(message: TranscriptMessage): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#settle();
    this.#pending.push(message);
    await this.#flushNow();
  }

  /** A step's calls have all answered: written now when the last write is an interval old, else soon. */
  async stepEnded(): Promise<void> {
    await this.#settle();
    const since = Date.now() - this.#lastWrite;
    if (since >= this.#intervalMs) return await this.#flushNow();
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      // Awaited (and its failure thrown) by the next step or the run's end.
      this.#background = this.#flushNow();
      this.#background.catch(() => {});
    }, this.#intervalMs - since);
  }

  /** Stops waiting and hands back what is not written yet (the answer's commit writes it). */
  async take(): Promise<TranscriptMessage[]> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#settle();
    const rest = this.#pending;
    this.#pending = [];
    return rest;
  }

  /** Writes whatever is not written yet (a run that failed or was aborted keeps its steps). */
  async flush(): Promise<void> {
    const rest = await this.take();
    if (rest.length > 0) await this.#write(rest);
  }

  async #settle(): Promise<void> {
    const background = this.#background;
    this.#background = undefined;
    await background;
  }

  #flushNow(): Promise<void> {
    const step = this.#pending;
    this.#pending = [];
    this.#lastWrite = Date.now();
    return step.length > 0 ? this.#write(step) : Promise.resolve();
  }
}
