import type { Logger } from "../log/logger.ts";
import { messageOf } from "../log/error_text.ts";
import { type CancelTimer, webTimeout } from "../async/web_timer.ts";

/**
 * Watches one config file through its directory, so editors that save by writing a temp file
 * and renaming it over the original are seen as well as in-place writes. Bursts of events are
 * coalesced: the callback runs once, `debounceMs` after the last event.
 */
export class ConfigWatcher {
  #path: string;
  #name: string;
  #debounceMs: number;
  #onChange: () => void;
  #log: Logger;
  #watcher: Deno.FsWatcher | undefined;
  #cancel: CancelTimer | undefined;

  constructor(path: string, options: { debounceMs: number; onChange: () => void; log: Logger }) {
    this.#path = path;
    this.#name = path.slice(path.lastIndexOf("/") + 1);
    this.#debounceMs = options.debounceMs;
    this.#onChange = options.onChange;
    this.#log = options.log;
  }

  /** Starts watching; a missing directory is reported once and leaves reload off. */
  start(): void {
    const dir = this.#path.slice(0, Math.max(this.#path.lastIndexOf("/"), 0)) || "/";
    try {
      this.#watcher = Deno.watchFs(dir, { recursive: false });
    } catch (error) {
      this.#log.warn(`config watch unavailable for ${dir}: ${messageOf(error)}; edits need a restart`);
      return;
    }
    void this.#loop(this.#watcher);
  }

  async #loop(watcher: Deno.FsWatcher): Promise<void> {
    try {
      for await (const event of watcher) {
        if (event.kind === "access") continue;
        if (event.paths.some((p) => p === this.#path || p.endsWith(`/${this.#name}`))) this.#schedule();
      }
    } catch (error) {
      this.#log.warn(`config watch stopped: ${messageOf(error)}`);
    }
  }

  /** Treats the file as touched: a reload follows after the debounce, coalesced with any burst. */
  poke(): void {
    this.#schedule();
  }

  #schedule(): void {
    this.#cancel?.();
    // The start pokes the watcher as the port opens, before the first client: the web platform's timer, not Node's.
    this.#cancel = webTimeout(this.#debounceMs, () => this.#onChange());
  }

  /** Changes the debounce for the next burst (`gateway.reload.debounceMs` is itself reloadable). */
  setDebounce(ms: number): void {
    this.#debounceMs = ms;
  }

  /** Stops watching. */
  close(): void {
    this.#cancel?.();
    this.#cancel = undefined;
    try {
      this.#watcher?.close();
    } catch {
      // already closed
    }
    this.#watcher = undefined;
  }
}
