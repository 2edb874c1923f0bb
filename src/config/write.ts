import { ConfigError } from "./errors.ts";
import { sha256Hex } from "./load.ts";

/** Options for {@link writeTextAtomic}. */
export interface AtomicWriteOptions {
  /** File mode of the new file; secrets and configs use 0o600. */
  mode?: number;
  /** Copy the current file to `<path>.bak` before replacing it. */
  backup?: boolean;
}

/**
 * Replaces a file so readers see the old content or the new, never a torn mix: write a sibling
 * temp file, fsync it, rename it over the target. A crash leaves at worst a stray temp file.
 */
export async function writeTextAtomic(path: string, text: string, options: AtomicWriteOptions = {}): Promise<void> {
  const mode = options.mode ?? 0o600;
  const dir = path.slice(0, Math.max(path.lastIndexOf("/"), 0)) || ".";
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  if (options.backup) await backupFile(path);
  const temp = `${path}.tmp-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
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
  // The umask may have narrowed the mode at creation; an explicit chmod makes it exact.
  await Deno.chmod(temp, mode);
  try {
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}

async function backupFile(path: string): Promise<void> {
  let current: Uint8Array;
  try {
    current = await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  await writeTextAtomic(`${path}.bak`, new TextDecoder().decode(current), { mode: 0o600 });
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
  if (options.expectedHash !== undefined) {
    let current = "";
    try {
      current = await Deno.readTextFile(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    if (await sha256Hex(current) !== options.expectedHash) {
      throw new ConfigError(
        `Cannot write config at ${path}: the file changed since it was read. Read it again and retry`,
        { file: path },
      );
    }
  }
  const text = `${JSON.stringify(config, null, 2)}\n`;
  await writeTextAtomic(path, text, { mode: 0o600, backup: true });
  return await sha256Hex(text);
}
