/** An open server-sent-events response that tolerates a client going away mid-stream. */
export interface SseWriter {
  /**
   * The response, after one turn of the event loop. A handler that has just started a run returns
   * this: the run's way to its model request is promise continuations, and once the server holds
   * the response they interleave with it starting to stream, which delayed the upstream request by
   * 0.1–0.3 ms per answer (measured; docs/performance.md).
   */
  afterRunStarts(): Promise<Response>;
  /**
   * Writes one raw SSE event (the `event:`/`data:` lines and the blank line included). Events
   * written in one turn go out as one piece at the turn's end (a microtask: no later than before).
   */
  write(text: string): void;
  /** Sends what is pending, then ends the stream. */
  close(): void;
}

/**
 * Builds a streaming `text/event-stream` response. Writes after the client left are dropped;
 * `onCancel` runs when the client disconnects, so the caller can stop paying for the answer.
 */
export function sseWriter(onCancel: () => void): SseWriter {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let open = true;
  // Events written in the same turn (a stream's last events: finish, usage, `[DONE]`), sent as one
  // piece: the server writes each piece to the socket with a write of its own.
  let pending = "";
  const flush = () => {
    if (pending === "") return;
    const text = pending;
    pending = "";
    if (!open) return;
    try {
      controller.enqueue(encoder.encode(text));
    } catch {
      open = false;
    }
  };
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    cancel() {
      open = false;
      onCancel();
    },
  });
  const response = new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
    },
  });
  return {
    afterRunStarts: () => new Promise((resolve) => setTimeout(() => resolve(response), 0)),
    write(text) {
      if (!open) return;
      if (pending === "") queueMicrotask(flush);
      pending += text;
    },
    close() {
      flush();
      if (open) controller.close();
      open = false;
    },
  };
}
