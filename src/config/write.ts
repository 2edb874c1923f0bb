import { ConfigError } from "./errors.ts";
import { sha256Hex } from "./config_hash.ts";

/** Options for {@link writeTextAtomic}. */
export interface AtomicWriteOptions {
  /** File mode of the new file; secrets and configs use 0o600. */
  mode?: number;
  /** Copy the current file to `<path>.bak` before replacing it. */
  backup?: boolean;
  /**
   * The content hash ({@link sha256Hex}; a missing file hashes as "") the new text was computed
   * from. The write is refused if the file holds anything else just before the rename.
   */
  expectedHash?: string | undefined;
  /**
   * False: replace the entry at `path` itself, a symlink there included, never the file it points at (what a
   * file the gateway's clients name must get: an agent-owned workspace could point it anywhere). Default true.
   */
  followLinks?: boolean;
}

/** A write was refused because the file changed after the content it was computed from was read. */
export class ConfigChangedError extends ConfigError {
  constructor(path: string) {
    super(`Cannot write config at ${path}: the file changed since it was read. Read it again and retry`, {
      file: path,
    });
    this.name = "ConfigChangedError";
  }
}

/**
 * The file a write to `path` must replace: symlinks followed (relative to their own folder),
 * so a linked `openclaw.json` keeps its link and the file it points at gets the new content. A
 * dangling link resolves to the file it names, which the write creates.
 */
export async function writeTarget(path: string): Promise<string> {
  let current = path;
  for (let hop = 0; hop < 40; hop++) {
    let info: Deno.FileInfo;
    try {
      info = await Deno.lstat(current);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return current;
      throw error;
    }
    if (!info.isSymlink) return current;
    const link = await Deno.readLink(current);
    current = link.startsWith("/") ? link : `${current.slice(0, current.lastIndexOf("/") + 1)}${link}`;
  }
  throw new Deno.errors.FilesystemLoop(`Cannot write ${path}: too many levels of symbolic links`);
}

/** A file's text, or undefined when it does not exist (any other failure is thrown). */
export async function readTextIfExists(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/**
 * Replaces a file so readers see the old content or the new, never a torn mix: write a temp
 * file beside the real target (through any symlink), fsync it, rename it over the target. A crash
 * leaves at worst a stray temp file. With `expectedHash`, the file is compared once more right
 * before the rename, so an edit that landed while the new text was being built is never lost.
 */
export async function writeTextAtomic(path: string, text: string, options: AtomicWriteOptions = {}): Promise<void> {
  const mode = options.mode ?? 0o600;
  const target = options.followLinks === false ? path : await writeTarget(path);
  const dir = target.slice(0, Math.max(target.lastIndexOf("/"), 0)) || ".";
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  const unchanged = async () =>
    options.expectedHash === undefined ||
    await sha256Hex(await readTextIfExists(target) ?? "") === options.expectedHash;
  if (!await unchanged()) throw new ConfigChangedError(path);
  if (options.backup) await backupFile(path, target);
  const temp = `${target}.tmp-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  const file = await Deno.open(temp, { write: true, createNew: true, mode });
  try {
    const bytes = new TextEncoder().encode(text);
    let written = 0;
    while (written < bytes.length) written += await file.write(bytes.subarray(written));
    await file.sync();
  } catch (error) {
    file.close();
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
  file.close();
  try {
    // The umask may have narrowed the mode at creation; an explicit chmod makes it exact.
    await Deno.chmod(temp, mode);
    // Last look: a hand edit between the caller's read and here would be silently replaced.
    if (!await unchanged()) throw new ConfigChangedError(path);
    await Deno.rename(temp, target);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}

async function backupFile(path: string, target: string): Promise<void> {
  const current = await readTextIfExists(target);
  if (current === undefined) return;
  await writeTextAtomic(`${path}.bak`, current, { mode: 0o600 });
}

/** Options for {@link writeConfigFile}. */
export interface WriteConfigOptions {
  /** The hash the caller last read; the write is refused if the file changed since. */
  expectedHash?: string | undefined;
}

/**
 * Writes a config object as formatted JSON (valid JSON5), atomically, keeping the previous file
 * as `<path>.bak`. Returns the new content hash.
 */
export async function writeConfigFile(
  path: string,
  config: Record<string, unknown>,
  options: WriteConfigOptions = {},
): Promise<string> {
  const text = `${JSON.stringify(config, null, 2)}\n`;
  await writeTextAtomic(path, text, { mode: 0o600, backup: true, expectedHash: options.expectedHash });
  return await sha256Hex(text);
}
