/** Lines sent at once before the rate limit applies. */
const FLOOD_BURST = 5;

interface Outgoing {
  line: string;
  resolve(): void;
  reject(error: Error): void;
}

/** What the queue writes through, and whether it may write now. */
export interface FloodQueueOptions {
  /** Lines per second after the burst. */
  messagesPerSecond: number;
  write(line: string): Promise<void>;
  /** Whether the connection takes chat lines now (registered); the queue waits otherwise. */
  open(): boolean;
}

/**
 * Chat lines waiting for the server: a token bucket (a burst of 5, then `messagesPerSecond`) so
 * the server's flood protection never kills the connection. Tokens survive reconnects.
 */
export class FloodQueue {
  #options: FloodQueueOptions;
  #outbox: Outgoing[] = [];
  #tokens = FLOOD_BURST;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: FloodQueueOptions) {
    this.#options = options;
  }

  /** Queues lines; resolves once all are written, rejects with the first failure. */
  push(lines: readonly string[]): Promise<void> {
    const sent = lines.map((line) =>
      new Promise<void>((resolve, reject) => this.#outbox.push({ line, resolve, reject }))
    );
    this.drain();
    return Promise.all(sent).then(() => {});
  }

  /** Fails every queued line (the connection closed before they went out). */
  rejectAll(error: Error): void {
    for (const item of this.#outbox.splice(0)) item.reject(error);
  }

  /** Sends queued lines as the token bucket allows. */
  drain(): void {
    if (this.#timer !== undefined) return;
    const step = () => {
      this.#timer = undefined;
      if (!this.#options.open()) return;
      let item: Outgoing | undefined;
      while (this.#tokens >= 1 && (item = this.#outbox.shift()) !== undefined) {
        this.#tokens--;
        this.#options.write(item.line).then(item.resolve, item.reject);
      }
      const interval = 1000 / this.#options.messagesPerSecond;
      if (this.#outbox.length > 0 || this.#tokens < FLOOD_BURST) {
        this.#timer = setTimeout(() => {
          this.#tokens = Math.min(FLOOD_BURST, this.#tokens + 1);
          step();
        }, interval);
      }
    };
    step();
  }
}
