import assert from "node:assert/strict";
import { httpOnly } from "../support/http_only.ts";
import { getLogger } from "../../src/log/logger.ts";
import { ConnectionRegistry } from "../../src/server/connections.ts";

const LIMITS = { maxConnections: 4, headersTimeoutMs: 300, keepAliveTimeoutMs: 300, webSocketIdleMs: 60_000 };
const encoder = new TextEncoder();

/** Serves `handler` on a loopback port with the gateway's own HTTP server; stops it after `body`. */
async function withServer(
  handler: (request: Request) => Response | Promise<Response>,
  body: (port: number, registry: ConnectionRegistry) => Promise<void>,
  limits = LIMITS,
): Promise<void> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const registry = new ConnectionRegistry({ limits, log: getLogger("test"), handlers: httpOnly(handler) });
  registry.serve(listener);
  try {
    await body(listener.addr.port, registry);
  } finally {
    await registry.shutdown(1000);
  }
}

/** Sends raw bytes on a new connection and returns everything until the server closes it. */
async function exchange(port: number, request: string): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(encoder.encode(request));
    let text = "";
    const buffer = new Uint8Array(8192);
    for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) {
      text += new TextDecoder().decode(buffer.subarray(0, n));
    }
    return text;
  } finally {
    conn.close();
  }
}

Deno.test("HTTP/1.1: keep-alive, a chunked request body, HEAD and Expect: 100-continue", async () => {
  await withServer(async (request) => {
    const text = request.body ? await request.text() : "";
    return Response.json({ method: request.method, path: new URL(request.url).pathname, text });
  }, async (port) => {
    const first = await fetch(`http://127.0.0.1:${port}/a`, { method: "POST", body: "hello" });
    assert.deepEqual(await first.json(), { method: "POST", path: "/a", text: "hello" });
    const chunked = new ReadableStream({
      start(c) {
        c.enqueue(encoder.encode("chu"));
        c.enqueue(encoder.encode("nked"));
        c.close();
      },
    });
    const second = await fetch(`http://127.0.0.1:${port}/b`, { method: "POST", body: chunked });
    assert.deepEqual(await second.json(), { method: "POST", path: "/b", text: "chunked" });
    const raw = await exchange(
      port,
      "HEAD /c HTTP/1.1\r\nHost: x\r\n\r\n" +
        "POST /d HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
    );
    assert.match(raw, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(raw, /HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK/);
    assert.match(raw, /\{"method":"POST","path":"\/d","text":"ok"\}$/);
  });
});

Deno.test("HTTP/1.1: a bad head gets 400 and an oversized one 431, then the connection closes", async () => {
  await withServer(() => new Response("x"), async (port) => {
    assert.match(await exchange(port, "NOT A REQUEST\r\n\r\n"), /^HTTP\/1\.1 400 Bad Request/);
    assert.match(
      await exchange(port, `GET / HTTP/1.1\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`),
      /^HTTP\/1\.1 431 /,
    );
  });
});

Deno.test("a head that never completes and an idle kept-alive connection are closed at their deadlines", async () => {
  await withServer(() => new Response("x"), async (port) => {
    const started = Date.now();
    // Never finishes its head: exchange() returns once the server closes the socket.
    assert.equal(await exchange(port, "GET / HTTP/1.1\r\nHost: x\r\n"), "");
    const waited = Date.now() - started;
    assert.ok(waited >= LIMITS.headersTimeoutMs && waited < LIMITS.headersTimeoutMs + 1500, `${waited}ms`);
    const answered = await exchange(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    assert.match(answered, /^HTTP\/1\.1 200 OK[\s\S]*\r\n\r\nx$/, "kept alive, then closed when idle");
  });
});

Deno.test("at the connection cap the longest-idle connection makes room for a new client", async () => {
  await withServer(() => new Response("served"), async (port, registry) => {
    const idle = await Promise.all(
      Array.from({ length: LIMITS.maxConnections }, () => Deno.connect({ hostname: "127.0.0.1", port })),
    );
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`);
      assert.equal(await response.text(), "served");
      assert.ok(registry.size <= LIMITS.maxConnections);
    } finally {
      for (const conn of idle) conn.close();
    }
  }, { ...LIMITS, headersTimeoutMs: 60_000, keepAliveTimeoutMs: 60_000 });
});

Deno.test("HTTP/1.1: a streamed body goes out chunked, piece by piece; to HTTP/1.0 raw, ended by closing", async () => {
  const stream = () =>
    new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(encoder.encode("data: 1\n\n"));
        await new Promise((resolve) => setTimeout(resolve, 20));
        controller.enqueue(encoder.encode("data: 2\n\n"));
        controller.close();
      },
    });
  await withServer(() => new Response(stream(), { headers: { "content-type": "text/event-stream" } }), async (port) => {
    const v11 = await exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert.match(v11, /transfer-encoding: chunked\r\n/);
    assert.match(v11, /\r\n\r\n9\r\ndata: 1\n\n\r\n9\r\ndata: 2\n\n\r\n0\r\n\r\n$/);
    const v10 = await exchange(port, "GET / HTTP/1.0\r\nHost: x\r\n\r\n");
    assert.doesNotMatch(v10, /transfer-encoding/);
    assert.match(v10, /connection: close\r\n\r\ndata: 1\n\ndata: 2\n\n$/);
  });
});
