// Flushing a directory's entries, so a name just linked or renamed into it survives a crash.

/** Flushes a directory's entries (a just-linked archive or file) to disk. */
export async function syncDirectory(path: string): Promise<void> {
  const dir = await Deno.open(path, { read: true });
  try {
    await dir.sync();
  } finally {
    dir.close();
  }
}
