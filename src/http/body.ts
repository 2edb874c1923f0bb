/** Why a body was not read. */
export type BodyRefusal = "too_large" | "timeout";

/** The outcome of {@link readBody}: the bytes, or why reading stopped. */
export type BodyRead = { ok: true; bytes: Uint8Array<ArrayBuffer> } | { ok: false; reason: BodyRefusal };

/** The body read deadline when a route does not set one (the reference's hooks: 30 s, then 408). */
export const DEFAULT_BODY_TIMEOUT_MS = 30_000;

/**
 * The one way a route reads a request body: refused before reading when the declared length is
 * over `maxBytes`, counted chunk by chunk otherwise (chunked bodies have no declared length), and
 * abandoned at `maxBytes` or when `timeoutMs` passes, so neither a large nor a slow body can hold
 * memory or a connection. Nothing past the cap is buffered.
 */
export async function readBody(
  request: Request,
  limits: { maxBytes: number; timeoutMs?: number | undefined },
): Promise<BodyRead> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limits.maxBytes) return { ok: false, reason: "too_large" };
  const reader = request.body?.getReader();
  if (!reader) return { ok: true, bytes: new Uint8Array(0) };
  const chunks: Uint8Array[] = [];
  let size = 0;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    reader.cancel().catch(() => {});
  }, limits.timeoutMs ?? DEFAULT_BODY_TIMEOUT_MS);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > limits.maxBytes) {
        await reader.cancel().catch(() => {});
        return { ok: false, reason: "too_large" };
      }
      chunks.push(value);
    }
  } catch (error) {
    if (timedOut) return { ok: false, reason: "timeout" };
    throw error;
  } finally {
    clearTimeout(timer);
  }
  if (timedOut) return { ok: false, reason: "timeout" };
  if (chunks.length === 1) return { ok: true, bytes: chunks[0]!.slice() };
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return { ok: true, bytes };
}
