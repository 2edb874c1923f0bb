/**
 * Reads a response body through one reusable buffer and hands out chunks of exactly the bytes
 * read. Deno gives each read of a fetch body its own 64 KiB buffer; a streamed answer arrives in
 * hundreds of small events, so 200 concurrent streams allocated over 100 MB of short-lived
 * buffers that the allocator kept as resident memory.
 */
export function compactBody(body: ReadableStream<Uint8Array>, bufferSize = 16 * 1024): ReadableStream<Uint8Array> {
  let reader: ReadableStreamBYOBReader;
  try {
    reader = body.getReader({ mode: "byob" });
  } catch {
    // Not a byte stream (a body built in JS): nothing to compact.
    return body;
  }
  let buffer = new ArrayBuffer(bufferSize);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read(new Uint8Array(buffer));
      if (done || !value) {
        controller.close();
        return;
      }
      controller.enqueue(value.slice());
      // The read detached our buffer and handed it back inside `value`: reuse it.
      // (A byob read always hands back an ArrayBuffer; the check only narrows ArrayBufferLike.)
      if (value.buffer instanceof ArrayBuffer) buffer = value.buffer;
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

/** `fetch` for model providers: the same request, its response body read through {@link compactBody}. */
export async function compactFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const response = await fetch(input, init);
  if (!response.body) return response;
  return new Response(compactBody(response.body), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}
