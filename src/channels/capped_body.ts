// Reading a downloaded file's body without trusting its sender: at most a size limit (the rest is never
// read), and never stalled for longer than an idle window. Channels that fetch inbound files share it.

/** The body, or undefined as soon as it passes `limit` bytes (the rest is not read); throws when it stalls. */
export async function readAtMost(response: Response, limit: number, idleMs: number): Promise<Uint8Array | undefined> {
  if (Number(response.headers.get("content-length") ?? 0) > limit) {
    await response.body?.cancel();
    return undefined;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  while (reader) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stalled = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no data for ${idleMs / 1000} s`)), idleMs);
    });
    const read = await Promise.race([reader.read(), stalled]).catch(async (error) => {
      await reader.cancel().catch(() => {});
      throw error;
    }).finally(() => clearTimeout(timer));
    if (read.done) break;
    size += read.value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(read.value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
