// A fake Baileys socket at the library's event boundary: the test emits `connection.update`,
// `messages.upsert` and the like as Baileys would, and reads what the account sent through it.

import type {
  WaContent,
  WaEvents,
  WaMessage,
  WaSocket,
  WaSocketFactory,
  WaSocketOptions,
} from "../../src/channels/whatsapp/socket.ts";

/** One fake socket. */
export class FakeWaSocket implements WaSocket {
  readonly options: WaSocketOptions;
  user: { id: string; lid?: string } | undefined;
  sent: { jid: string; content: WaContent }[] = [];
  read: NonNullable<WaMessage["key"]>[] = [];
  downloads: WaMessage[] = [];
  ended = false;
  /** What `flushed` answers (the credential writes a test holds in flight). */
  flushed: () => Promise<void> = () => Promise.resolve();
  /** What `downloadMedia` returns (or throws). */
  media: Uint8Array | Error = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
  #listeners = new Map<string, ((data: never) => void)[]>();
  #sentCount = 0;

  constructor(options: WaSocketOptions) {
    this.options = options;
  }

  ev = {
    on: <K extends keyof WaEvents>(event: K, listener: (data: WaEvents[K]) => void) => {
      this.#listeners.set(event, [...(this.#listeners.get(event) ?? []), listener as (data: never) => void]);
    },
  };

  /** Emits an event as Baileys would. */
  emit<K extends keyof WaEvents>(event: K, data: WaEvents[K]): void {
    for (const listener of this.#listeners.get(event) ?? []) (listener as (data: WaEvents[K]) => void)(data);
  }

  /** The connection opens as the linked device `<phone>:<device>@s.whatsapp.net`. */
  open(phone = "15550001111", lid?: string): void {
    this.user = { id: `${phone}:7@s.whatsapp.net`, ...(lid ? { lid } : {}) };
    this.emit("connection.update", { connection: "open" });
  }

  /** The connection closes with a Baileys-style (Boom) error carrying `statusCode`. */
  close(statusCode: number, message = "Connection Failure"): void {
    const error = Object.assign(new Error(message), { output: { statusCode } });
    this.emit("connection.update", { connection: "close", lastDisconnect: { error, date: new Date() } });
  }

  sendMessage(jid: string, content: WaContent): Promise<WaMessage | undefined> {
    this.sent.push({ jid, content });
    return Promise.resolve({ key: { id: `SENT${++this.#sentCount}`, remoteJid: jid, fromMe: true } });
  }

  downloadMedia(message: WaMessage, _maxBytes: number): Promise<Uint8Array> {
    this.downloads.push(message);
    return this.media instanceof Error ? Promise.reject(this.media) : Promise.resolve(this.media);
  }

  readMessages(keys: NonNullable<WaMessage["key"]>[]): Promise<void> {
    this.read.push(...keys);
    return Promise.resolve();
  }

  end(_reason?: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.close(428, "Connection Closed");
  }
}

/** A socket factory that records every socket it builds; `next` waits for the n-th. */
export class FakeWaNetwork {
  sockets: FakeWaSocket[] = [];
  #waiters: (() => void)[] = [];

  factory: WaSocketFactory = (options) => {
    const socket = new FakeWaSocket(options);
    this.sockets.push(socket);
    for (const wake of this.#waiters.splice(0)) wake();
    return Promise.resolve(socket);
  };

  /** Resolves with the socket numbered `count` (1-based) once it is built, within `timeoutMs`. */
  async socket(count: number, timeoutMs = 15_000): Promise<FakeWaSocket> {
    const deadline = Date.now() + timeoutMs;
    while (this.sockets.length < count) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for WhatsApp socket #${count}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.sockets[count - 1]!;
  }
}

/** A text message as Baileys delivers it (`messages.upsert`, type `notify`). */
export function waText(
  options: { id: string; from: string; text: string; group?: string; mentions?: string[]; pushName?: string },
): WaMessage {
  const message = options.mentions
    ? { extendedTextMessage: { text: options.text, contextInfo: { mentionedJid: options.mentions } } }
    : { conversation: options.text };
  return {
    key: {
      id: options.id,
      remoteJid: options.group ?? `${options.from}@s.whatsapp.net`,
      ...(options.group ? { participant: `${options.from}@s.whatsapp.net` } : {}),
      fromMe: false,
    },
    message,
    pushName: options.pushName ?? "Alice",
    messageTimestamp: 1_764_000_000,
  };
}
