// Opening a file for reading when it is there: the first step of every read that treats "absent" as an answer.

/** The file opened for reading, or undefined when it does not exist; other failures are thrown. */
export async function openIfExists(path: string): Promise<Deno.FsFile | undefined> {
  try {
    return await Deno.open(path, { read: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** Fills `buffer` from `file` (a file, or stdin) until it is full or it ends; answers how many bytes were read. */
export async function readInto(
  file: { read(into: Uint8Array): Promise<number | null> },
  buffer: Uint8Array,
): Promise<number> {
  let filled = 0;
  while (filled < buffer.length) {
    const read = await file.read(buffer.subarray(filled));
    if (read === null) break;
    filled += read;
  }
  return filled;
}
