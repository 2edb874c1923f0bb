import assert from "node:assert/strict";
import { compactBody, compactFetch } from "../../src/agent/compact_fetch.ts";

/** A loopback server streaming `parts`, 5 ms apart; `cancelled` resolves when the client stops reading. */
function streamingServer(parts: string[]) {
  let cancelled!: () => void;
  const gone = new Promise<void>((resolve) => cancelled = resolve);
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, () => {
    const encoder = new TextEncoder();
    const queue = [...parts];
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = queue.shift();
        if (next === undefined) return controller.close();
        await new Promise((r) => setTimeout(r, 5));
        controller.enqueue(encoder.encode(next));
      },
      cancel: () => cancelled(),
    });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  });
  return { url: `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}/`, gone, stop: () => server.shutdown() };
}

Deno.test("compactFetch() hands out each chunk in a buffer of exactly its size, content intact", async () => {
  const parts = ["data: one\n\n", "data: two\n\n", "data: three\n\n"];
  const server = streamingServer(parts);
  try {
    const response = await compactFetch(server.url);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/event-stream");
    const chunks: Uint8Array[] = [];
    for await (const chunk of response.body!) chunks.push(chunk);
    for (const chunk of chunks) assert.equal(chunk.buffer.byteLength, chunk.byteLength);
    assert.equal(chunks.map((c) => new TextDecoder().decode(c)).join(""), parts.join(""));
  } finally {
    await server.stop();
  }
});

Deno.test("compactFetch(): a reader that stops early cancels the upstream body", async () => {
  const server = streamingServer(Array.from({ length: 100 }, (_, i) => `data: ${i}\n\n`));
  try {
    const reader = (await compactFetch(server.url)).body!.getReader();
    assert.equal((await reader.read()).done, false);
    await reader.cancel();
    await server.gone;
  } finally {
    await server.stop();
  }
});

Deno.test("compactBody() compacts a byte stream built in JS and passes any other stream through", async () => {
  const bytes = new ReadableStream<Uint8Array>({
    type: "bytes",
    start(controller) {
      controller.enqueue(new Uint8Array(new ArrayBuffer(65536), 0, 3).fill(65));
      controller.close();
    },
  });
  const chunks = await Array.fromAsync(compactBody(bytes, 1024));
  assert.deepEqual(chunks.map((c) => [c.byteLength, c.buffer.byteLength]), [[3, 3]]);
  const plain = new ReadableStream<Uint8Array>();
  assert.equal(compactBody(plain), plain);
});
