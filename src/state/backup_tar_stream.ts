// The archive's tar stream, produced as the reference produces it: one walk over the selected
// sources, each file opened before its header is written (a vanished file leaves no partial
// entry), headers encoded by npm `tar` (PAX when a name is long), the manifest appended last.
import { Buffer } from "node:buffer";
import { Header, Pax } from "tar";
import { join } from "node:path";

/** One tar header as npm `tar` encodes it. */
export interface TarHeader {
  path: string;
  type: "File" | "Directory" | "SymbolicLink";
  mode: number;
  size: number;
  mtime?: Date | undefined;
  linkpath?: string | undefined;
}

/** The walk's decisions and observations, supplied by the archive run. */
export interface TarWalk {
  /** Top-level sources, in order (snapshots first, then assets). */
  paths: string[];
  /** True to leave `path` out before looking at it (volatile files, live databases replaced by snapshots). */
  skip(path: string): boolean;
  /** False to leave out an entry after its lstat (policy, SQLite classification). */
  filter(path: string, info: Deno.FileInfo): boolean;
  /** The archive path of a source path (snapshots are remapped to their database's path). */
  archivePathOf(path: string): string;
  onEntry(path: string, header: TarHeader): void;
  onVanished(path: string): void;
  /** The manifest's entry path and bytes, built once the walk is done. */
  manifest(): { entryPath: string; contents: Uint8Array<ArrayBuffer> };
}

const CHUNK = 1_048_576;

function isNotFound(error: unknown): boolean {
  return error instanceof Deno.errors.NotFound;
}

function encodeHeader(header: TarHeader): Uint8Array<ArrayBuffer>[] {
  // npm tar encodes into a Buffer (it calls Buffer methods on the block).
  const block = Buffer.alloc(512);
  const needsPax = new Header(header).encode(block);
  const bytes = new Uint8Array(block);
  return needsPax ? [new Uint8Array(new Pax(header).encode()), bytes] : [bytes];
}

/** Header, content and padding of the manifest entry, then the two zero blocks that end a tar. */
export function manifestBlocks(entryPath: string, contents: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer>[] {
  const [header] = encodeHeader({ path: entryPath, type: "File", mode: 0o644, size: contents.length });
  return [header!, contents, new Uint8Array(((512 - (contents.length % 512)) % 512) + 1024)];
}

async function* visit(walk: TarWalk, path: string, top: boolean): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  if (walk.skip(path)) return;
  let info: Deno.FileInfo;
  let names: string[] | undefined;
  let linkpath: string | undefined;
  let file: Deno.FsFile | undefined;
  try {
    info = await Deno.lstat(path);
    if (!walk.filter(path, info)) return;
    if (info.isDirectory) {
      names = [];
      for await (const entry of Deno.readDir(path)) names.push(entry.name);
    } else if (info.isSymlink) {
      linkpath = await Deno.readLink(path);
    } else if (info.isFile) {
      file = await Deno.open(path, { read: true });
      const opened = await file.stat();
      if (!opened.isFile || opened.ino !== info.ino || opened.dev !== info.dev) {
        file.close();
        throw new Error(`Backup source identity changed while opening: ${path}`);
      }
      info = opened;
    } else return;
  } catch (error) {
    if (!isNotFound(error)) throw error;
    if (top) throw new Error(`Required backup source disappeared: ${path}`);
    walk.onVanished(path);
    return;
  }
  try {
    let mode = ((info.mode ?? 0o600) & 0o7777 | 0o600) & ~0o022;
    if (info.isDirectory) mode |= (mode & 0o444) >> 2;
    const header: TarHeader = {
      path: walk.archivePathOf(path),
      type: info.isDirectory ? "Directory" : info.isSymlink ? "SymbolicLink" : "File",
      mode,
      size: file ? info.size : 0,
      mtime: info.isDirectory ? undefined : info.mtime ?? undefined,
      linkpath,
    };
    walk.onEntry(path, header);
    if (info.isDirectory) header.path += "/";
    yield* encodeHeader(header);
    if (file) {
      let position = 0;
      while (position < info.size) {
        const buffer = new Uint8Array(Math.min(CHUNK, info.size - position));
        const read = await file.read(buffer);
        if (!read) throw Object.assign(new Error(`encountered unexpected EOF: ${path}`), { path });
        position += read;
        yield buffer.subarray(0, read);
      }
      const padding = (512 - (info.size % 512)) % 512;
      if (padding) yield new Uint8Array(padding);
    }
  } finally {
    file?.close();
  }
  for (const name of names ?? []) yield* visit(walk, join(path, name), false);
}

/** The whole tar stream: every source, then the manifest and the end blocks. */
export async function* backupTarStream(walk: TarWalk): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  for (const path of walk.paths) yield* visit(walk, path, true);
  const { entryPath, contents } = walk.manifest();
  yield* manifestBlocks(entryPath, contents);
}

/**
 * Writes `chunks` gzip-compressed to a new file (never an existing one), mode 0600, flushed to disk
 * before it returns (as the reference's `flush: true`), so a published archive is never short.
 */
export async function writeGzipFile(path: string, chunks: AsyncIterable<Uint8Array<ArrayBuffer>>): Promise<void> {
  const file = await Deno.open(path, { write: true, createNew: true, mode: 0o600 });
  try {
    const gzip = new CompressionStream("gzip") as unknown as ReadableWritablePair<Uint8Array<ArrayBuffer>, Uint8Array>;
    for await (const chunk of ReadableStream.from(chunks).pipeThrough(gzip)) {
      for (let offset = 0; offset < chunk.length;) offset += await file.write(chunk.subarray(offset));
    }
    await file.sync();
  } finally {
    file.close();
  }
}
