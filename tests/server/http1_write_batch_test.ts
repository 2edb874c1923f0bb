import assert from "node:assert/strict";
import { getLogger } from "../../src/log/logger.ts";
import { ConnectionRegistry } from "../../src/server/connections.ts";

const LIMITS = { maxConnections: 16, headersTimeoutMs: 5000, keepAliveTimeoutMs: 5000, webSocketIdleMs: 60_000 };
const encoder = new TextEncoder();

/** The raw response (Latin-1) to one `GET /` on a connection that asks to be closed after it. */
async function rawResponse(handler: () => Response): Promise<string> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const registry = new ConnectionRegistry({ limits: LIMITS, log: getLogger("test"), handler });
  registry.serve(listener);
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
    try {
      await conn.write(encoder.encode("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
      let text = "";
      const buffer = new Uint8Array(65536);
      for (;;) {
        const n = await conn.read(buffer).catch(() => null);
        if (n === null) return text;
        text += new TextDecoder("latin1").decode(buffer.subarray(0, n));
      }
    } finally {
      conn.close();
    }
  } finally {
    await registry.shutdown(1000);
  }
}

/** The chunks of a chunked body, in order. */
function chunks(raw: string): string[] {
  let rest = raw.slice(raw.indexOf("\r\n\r\n") + 4);
  const out: string[] = [];
  for (;;) {
    const line = rest.indexOf("\r\n");
    const size = parseInt(rest.slice(0, line), 16);
    if (!size) return out;
    out.push(rest.slice(line + 2, line + 2 + size));
    rest = rest.slice(line + 2 + size + 2);
  }
}

Deno.test("HTTP/1.1 streamed body: pieces queued while a write is in flight go out together, bytes unchanged", async () => {
  const events = Array.from({ length: 50 }, (_, i) => `data: {"n":${i}}\n\n`);
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      c.enqueue(encoder.encode(": open\n\n"));
    },
  });
  // The first piece alone, then fifty at once (a model streaming back to back), then the end.
  setTimeout(() => {
    for (const event of events) controller.enqueue(encoder.encode(event));
    controller.close();
  }, 20);
  const raw = await rawResponse(() => new Response(stream, { headers: { "content-type": "text/event-stream" } }));
  assert.match(raw, /transfer-encoding: chunked/);
  const pieces = chunks(raw);
  assert.equal(pieces.join(""), `: open\n\n${events.join("")}`);
  assert.ok(pieces.length <= 3, `fifty queued events took ${pieces.length} writes`);
});

Deno.test("HTTP/1.1 streamed body: a piece that comes alone is written at once, not held for company", async () => {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      c.enqueue(encoder.encode("a"));
    },
  });
  setTimeout(() => controller.enqueue(encoder.encode("b")), 20);
  setTimeout(() => {
    controller.enqueue(encoder.encode("c"));
    controller.close();
  }, 40);
  const raw = await rawResponse(() => new Response(stream));
  assert.deepEqual(chunks(raw), ["a", "b", "c"]);
});
