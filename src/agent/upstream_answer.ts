// A model provider's answer as the lean chat model reads it, whichever way it came: over a pooled
// connection of upstream_pool.ts or through `fetch` (a proxy, a redirect, a test's own fetch).

/** Status, headers and a body read in views: what the lean model needs of a response. */
export interface UpstreamAnswer {
  status: number;
  statusText: string;
  headers: Headers;
  /** No body at all (fetch's null body: a 204, 205, 304 or a redirect it did not follow). */
  empty: boolean;
  /** The next body bytes, or null at the end; a view valid until the next call. */
  read(): Promise<Uint8Array | null>;
  /** Stops reading; the connection is not reused. */
  cancel(reason?: unknown): Promise<void>;
  /** The answer as a `Response` whose body is what is still unread (for the SDK's failed-response handler). */
  response(): Response;
}

/** A fetch `Response` read as an {@link UpstreamAnswer}: its body into one reused 16 KiB buffer. */
export function answerOfResponse(response: Response): UpstreamAnswer {
  // A byte stream (fetch's body) is read into one reused buffer, as compactFetch reads it for the
  // SDK: a read of Deno's fetch body otherwise gets a 64 KiB buffer of its own. Other bodies as they come.
  const body = response.body;
  let byob: ReadableStreamBYOBReader | undefined;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let buffer = new ArrayBuffer(16 * 1024);
  const open = () => {
    if (byob || reader || !body) return;
    try {
      byob = body.getReader({ mode: "byob" });
    } catch {
      reader = body.getReader();
    }
  };
  return {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
    empty: body === null,
    async read() {
      open();
      if (!byob && !reader) return null;
      const read = byob ? await byob.read(new Uint8Array(buffer)) : await reader!.read();
      if (read.done) return null;
      // The read detached the buffer and handed it back in `value`; the caller is done with it by the next read.
      if (byob && read.value.buffer instanceof ArrayBuffer) buffer = read.value.buffer;
      return read.value;
    },
    async cancel(reason) {
      // A body already read by someone else (the failed-response handler) is locked: nothing to stop.
      if (!byob && !reader && (body === null || body.locked)) return;
      open();
      await (byob ?? reader)?.cancel(reason);
    },
    response: () => response,
  };
}

/** A `Response` over what `answer` has not yet handed out (each view copied, as a stream keeps its chunks). */
export function responseOfAnswer(answer: UpstreamAnswer): Response {
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const bytes = await answer.read();
      if (bytes) controller.enqueue(bytes.slice());
      else controller.close();
    },
    cancel: (reason) => answer.cancel(reason),
  });
  const init = { status: answer.status, statusText: answer.statusText, headers: answer.headers };
  return new Response(answer.empty ? null : body, init);
}
