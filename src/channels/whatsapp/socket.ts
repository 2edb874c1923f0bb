// The part of a Baileys socket this channel uses: its event boundary (`connection.update`,
// `creds.update`, `messages.upsert`) and the calls it makes. Tests hand the account a fake that
// speaks this; the gateway hands it the real one (socket_baileys.ts), loaded only when needed.

/** A message as Baileys delivers it (`WAMessage`): only the fields this channel reads, all optional. */
export interface WaMessage {
  key?: {
    id?: string | null;
    remoteJid?: string | null;
    remoteJidAlt?: string | null;
    participant?: string | null;
    participantAlt?: string | null;
    fromMe?: boolean | null;
  } | null;
  message?: object | null;
  pushName?: string | null;
  messageTimestamp?: number | bigint | { toNumber(): number } | null;
}

/** A `connection.update` event: a QR to show, or the connection opening or closing (with why). */
export interface WaConnectionUpdate {
  connection?: "open" | "connecting" | "close";
  qr?: string;
  lastDisconnect?: { error?: unknown; date?: Date } | undefined;
  isNewLogin?: boolean;
}

/** The events a socket emits, with their payloads. */
export interface WaEvents {
  "connection.update": WaConnectionUpdate;
  "creds.update": unknown;
  "messages.upsert": { messages: WaMessage[]; type: string };
}

/** What sending takes: text (with mentions), or a file with its caption. */
export type WaContent =
  | { text: string; mentions?: string[] }
  | { image: Uint8Array; caption?: string; mimetype?: string }
  | { video: Uint8Array; caption?: string; mimetype?: string }
  | { audio: Uint8Array; mimetype?: string; ptt?: boolean }
  | { document: Uint8Array; caption?: string; mimetype: string; fileName?: string };

/** One live socket, as the account drives it. */
export interface WaSocket {
  ev: {
    on<K extends keyof WaEvents>(event: K, listener: (data: WaEvents[K]) => void): void;
  };
  /** The linked identity once connected (`<phone>:<device>@s.whatsapp.net`, its LID). */
  readonly user: { id: string; lid?: string; name?: string } | undefined;
  sendMessage(jid: string, content: WaContent): Promise<WaMessage | undefined>;
  /** Downloads the file a message carries (Baileys' `downloadMediaMessage`), refusing it past `maxBytes`. */
  downloadMedia(message: WaMessage, maxBytes: number): Promise<Uint8Array>;
  /** Marks messages read (blue ticks), as the reference does when `sendReadReceipts` is on. */
  readMessages(keys: NonNullable<WaMessage["key"]>[]): Promise<void>;
  /** Closes the connection; the socket emits `connection.update` `close`. */
  end(reason?: Error): void;
  /** Settles once the credential writes in flight are on disk (a logout clears them only after). */
  flushed?(): Promise<void>;
}

/** What building a socket needs: the credentials' directory and where QR codes go. */
export interface WaSocketOptions {
  authDir: string;
  /** The WhatsApp Web WebSocket URL (`OPENCLAW_WHATSAPP_WEB_SOCKET_URL`, as the reference reads it). */
  waWebSocketUrl?: string | undefined;
}

/** Builds a socket: the real Baileys one, or a test's fake. */
export type WaSocketFactory = (options: WaSocketOptions) => Promise<WaSocket>;

/** The HTTP-like status a Baileys close carries (`lastDisconnect.error.output.statusCode`), as the reference reads it. */
export function closeStatusOf(error: unknown): number | undefined {
  if (!error || typeof error !== "object") return undefined;
  const output = Reflect.get(error, "output");
  if (output && typeof output === "object") {
    const code = Reflect.get(output, "statusCode");
    if (typeof code === "number") return code;
  }
  const status = Reflect.get(error, "status");
  return typeof status === "number" ? status : undefined;
}

/** Baileys' `DisconnectReason` codes the account acts on. */
export const WA_CLOSE = {
  /** The phone unlinked this device: credentials are void. */
  loggedOut: 401,
  /** Another client took over this session. */
  connectionReplaced: 440,
  /** WhatsApp asks for a fresh socket (after pairing). */
  restartRequired: 515,
  timedOut: 408,
} as const;
