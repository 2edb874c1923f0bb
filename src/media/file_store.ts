// The media store on disk: `<stateDir>/media/inbound` for what messages carry in, `media/outbound`
// for what tools and replies send out, as the reference keeps them. Files are private to the gateway
// (0600 in 0700 directories), named by a fresh UUID so no sender's name can collide or escape, typed
// from their bytes, and pruned by age: everything past `attachments.ttlHours` when set, else staged
// outbound files after a day (the reference's two sweeps; neither touches its `outgoing` or playback cache).

import { isAbsolutePath, isInsidePath, joinPath } from "../config/posix_path.ts";
import { checkedMimeType, extensionFor, mediaKindOf } from "./sniff.ts";
import { originalFileName, storedFileName } from "./file_names.ts";
import { MediaRefusedError, type MediaSaveInput, type MediaStore, type StoredMedia } from "./media_types.ts";

/** How long staged outbound files are kept when `attachments.ttlHours` is unset (the reference's 24 hours). */
export const OUTBOUND_TTL_MS = 86_400_000;

/**
 * Directories under `media/` the general sweep leaves alone, as the reference's does: `outgoing` is media its
 * SQLite records own, `playback-transcode` its size-capped cache with its own week-long retention.
 */
const NOT_SWEPT = new Set(["outgoing", "playback-transcode"]);

/** What the store reads from the config in force, on each call (a reload applies at once). */
export interface FileMediaStoreOptions {
  /** `<stateDir>/media`. */
  root: string;
  /** The default size limit in bytes (`agents.defaults.mediaMaxMb`). */
  maxBytes(): number;
  /** `attachments.ttlHours` in milliseconds, or undefined when the general sweep is off. */
  ttlMs(): number | undefined;
}

/** A size as the reference words it in its limit errors: `20MB`, `1.50MB`, `512KB`. */
export function formatMediaSize(bytes: number): string {
  const [value, unit] = bytes >= 1_048_576 ? [bytes / 1_048_576, "MB"] : bytes >= 1024 ? [bytes / 1024, "KB"] : [
    bytes,
    "B",
  ];
  return `${Number.isInteger(value) ? value : value.toFixed(2)}${unit}`;
}

/** The refusal of a file over the limit, worded as the reference's store words it. */
export function tooLarge(maxBytes: number): MediaRefusedError {
  return new MediaRefusedError(`Media exceeds ${formatMediaSize(maxBytes)} limit`);
}

/** The media store kept under the state dir (see the file comment). */
export class FileMediaStore implements MediaStore {
  #options: FileMediaStoreOptions;

  constructor(options: FileMediaStoreOptions) {
    this.#options = options;
  }

  /** The store's directory (`<stateDir>/media`). */
  get root(): string {
    return this.#options.root;
  }

  /** Whether a path lies inside the store (a kept file, not a file elsewhere a tool names). */
  contains(path: string): boolean {
    return isInsidePath(this.#options.root, path);
  }

  async save(bytes: Uint8Array, input: MediaSaveInput): Promise<StoredMedia> {
    const limit = input.maxBytes ?? this.#options.maxBytes();
    if (bytes.byteLength > limit) throw tooLarge(limit);
    if (bytes.byteLength === 0) throw new MediaRefusedError("Media is empty: the file has no bytes to keep");
    const mimeType = checkedMimeType(bytes, input.mimeType, input.fileName);
    const dir = joinPath(this.#options.root, input.direction);
    const name = storedFileName(input.fileName, extensionFor(mimeType));
    const path = joinPath(dir, name);
    await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
    // Written under a hidden temporary name and renamed into place, so a reader never sees half a file.
    const temp = joinPath(dir, `.${name}.tmp`);
    try {
      await Deno.writeFile(temp, bytes, { createNew: true, mode: 0o600 });
      await Deno.chmod(temp, 0o600);
      await Deno.rename(temp, path);
    } catch (error) {
      await Deno.remove(temp).catch(() => {});
      throw error;
    }
    return {
      kind: mediaKindOf(mimeType),
      mimeType,
      path,
      size: bytes.byteLength,
      fileName: input.fileName ?? undefined,
      voice: input.voice || undefined,
    };
  }

  async read(path: string, maxBytes?: number): Promise<{ bytes: Uint8Array; media: StoredMedia }> {
    if (!isAbsolutePath(path)) throw new MediaRefusedError(`Media path must be absolute: ${path}`);
    const info = await Deno.lstat(path).catch(() => undefined);
    if (!info) throw new MediaRefusedError(`Media path does not exist: ${path}`);
    if (info.isSymlink) throw new MediaRefusedError(`Media path must not be a symlink: ${path}`);
    if (!info.isFile) throw new MediaRefusedError(`Media path is not a file: ${path}`);
    const limit = maxBytes ?? this.#options.maxBytes();
    if (info.size > limit) throw tooLarge(limit);
    const bytes = await Deno.readFile(path);
    if (bytes.byteLength > limit) throw tooLarge(limit);
    const name = path.split("/").pop() ?? path;
    const fileName = this.contains(path) ? originalFileName(name) : name;
    const mimeType = checkedMimeType(bytes, undefined, fileName);
    return { bytes, media: { kind: mediaKindOf(mimeType), mimeType, path, size: bytes.byteLength, fileName } };
  }

  async prune(nowMs: number): Promise<number> {
    const ttl = this.#options.ttlMs();
    let removed = 0;
    const entries = await readDir(this.#options.root);
    for (const entry of entries) {
      const path = joinPath(this.#options.root, entry.name);
      if (entry.isDirectory) {
        if (NOT_SWEPT.has(entry.name)) continue;
        // The reference: with a retention everything (outbound too) ages by it; without, only outbound, after a day.
        const dirTtl = entry.name === "outbound" ? ttl ?? OUTBOUND_TTL_MS : ttl;
        if (dirTtl !== undefined) removed += await pruneTree(path, nowMs - dirTtl, false);
      } else if (entry.isFile && ttl !== undefined) {
        removed += await removeIfOlder(path, nowMs - ttl);
      }
    }
    return removed;
  }
}

async function readDir(dir: string): Promise<Deno.DirEntry[]> {
  try {
    return await Array.fromAsync(Deno.readDir(dir));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
}

async function removeIfOlder(path: string, cutoffMs: number): Promise<number> {
  const info = await Deno.lstat(path).catch(() => undefined);
  if (!info?.isFile || (info.mtime?.getTime() ?? Infinity) >= cutoffMs) return 0;
  return await Deno.remove(path).then(() => 1, () => 0);
}

/** Removes the files under `dir` last written before the cutoff, then the subdirectories left empty. */
async function pruneTree(dir: string, cutoffMs: number, removeSelf: boolean): Promise<number> {
  let removed = 0;
  for (const entry of await readDir(dir)) {
    const path = joinPath(dir, entry.name);
    if (entry.isDirectory) removed += await pruneTree(path, cutoffMs, true);
    else if (entry.isFile) removed += await removeIfOlder(path, cutoffMs);
  }
  // Only subdirectories go: `inbound` and `outbound` themselves stay for the next file.
  if (removeSelf && (await readDir(dir)).length === 0) await Deno.remove(dir).catch(() => {});
  return removed;
}
