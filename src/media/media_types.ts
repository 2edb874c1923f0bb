// The shared vocabulary of media: files a message carries in (a photo, a voice note) and out (a file a
// tool made), kept in the gateway's media store under the state dir. Channels, the agent and the server
// speak these types; the store itself is one implementation behind `MediaStore`.

/** What a file is, as channels and models tell them apart. */
export type MediaKind = "image" | "audio" | "video" | "document";

/** A file kept in the media store. */
export interface StoredMedia {
  kind: MediaKind;
  /** The checked type (from the bytes where they say it, else the sender's claim). */
  mimeType: string;
  /** Absolute path inside the media store. */
  path: string;
  /** Size in bytes. */
  size: number;
  /** The name the sender gave it, if any. */
  fileName?: string | undefined;
  /** A voice note (recorded in the chat app), as opposed to an audio file sent as a file. */
  voice?: boolean | undefined;
}

/** Which side of the gateway a file belongs to (the store keeps them apart: `media/inbound`, `media/outbound`). */
export type MediaDirection = "inbound" | "outbound";

/** What saving a file needs besides its bytes. */
export interface MediaSaveInput {
  direction: MediaDirection;
  /** The sender's or the tool's claim; the store checks it against the bytes. */
  mimeType?: string | undefined;
  fileName?: string | undefined;
  voice?: boolean | undefined;
  /** The size limit in bytes for this file (a channel's `mediaMaxMb`); the store's default when absent. */
  maxBytes?: number | undefined;
}

/** The gateway's media store: files in and out, kept under the state dir with a retention limit. */
export interface MediaStore {
  /** Checks size and type and keeps the bytes (mode 0600); throws a `MediaRefusedError` naming the limit. */
  save(bytes: Uint8Array, input: MediaSaveInput): Promise<StoredMedia>;
  /** Reads a kept file back, or a file a tool names (an absolute path): its bytes and checked type. */
  read(path: string, maxBytes?: number): Promise<{ bytes: Uint8Array; media: StoredMedia }>;
  /** Removes files older than the retention limit; returns how many were removed. */
  prune(nowMs: number): Promise<number>;
}

/** A file a channel should send: one the store kept, with the words that go with it. */
export interface OutboundMedia extends StoredMedia {
  /** Text sent with the file (a caption), when the channel carries one. */
  caption?: string | undefined;
}

/** A file refused by the media store: too large, a type not accepted, or a path outside what may be sent. */
export class MediaRefusedError extends Error {
  /** Names the file, the rule it broke and what would be accepted. */
  constructor(message: string) {
    super(message);
    this.name = "MediaRefusedError";
  }
}
