import assert from "node:assert/strict";
import { getLogger } from "../../src/log/logger.ts";
import { ConnectionRegistry } from "../../src/server/connections.ts";
import type { WsCloseEvent } from "../../src/server/websocket.ts";

const encoder = new TextEncoder();
const CLOSE_TIMEOUT_MS = 300;

/** A registry whose WebSockets echo text; `closes` records each socket's close event. */
async function withEchoServer(
  body: (port: number, closes: WsCloseEvent[]) => Promise<void>,
  webSocketIdleMs = 60_000,
): Promise<void> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const closes: WsCloseEvent[] = [];
  const registry = new ConnectionRegistry({
    limits: { maxConnections: 16, headersTimeoutMs: 5000, keepAliveTimeoutMs: 5000, webSocketIdleMs },
    log: getLogger("test"),
    handlers: {
      http: () => new Response("upgrade only", { status: 426 }),
      upgrade: (_request, _remoteAddr, upgrade) => {
        const accepted = upgrade({ maxMessageBytes: () => 1024, closeTimeoutMs: CLOSE_TIMEOUT_MS });
        const { socket } = accepted;
        socket.onmessage = (event) => {
          if (event.data === "close please") socket.close(4000, "asked");
          else if (event.data === "close long") socket.close(4001, "\u00e9".repeat(100));
          else socket.send(`echo:${event.data}`);
        };
        socket.onclose = (event) => closes.push(event);
        return accepted;
      },
    },
  });
  registry.serve(listener);
  try {
    await body(listener.addr.port, closes);
  } finally {
    await registry.shutdown(500);
  }
}

/** A raw client past the 101, reading server frames (short ones) off the wire. */
async function rawClient(port: number) {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(encoder.encode(
    "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
  ));
  let pending = new Uint8Array(0);
  const fill = async () => {
    const buffer = new Uint8Array(4096);
    const n = await conn.read(buffer);
    if (n === null) return false;
    const next = new Uint8Array(pending.length + n);
    next.set(pending);
    next.set(buffer.subarray(0, n), pending.length);
    pending = next;
    return true;
  };
  while (!new TextDecoder().decode(pending).includes("\r\n\r\n")) await fill();
  const text = new TextDecoder().decode(pending);
  assert.match(
    text,
    /^HTTP\/1\.1 101 Switching Protocols\r\n[\s\S]*sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK\+xOo=/,
  );
  pending = pending.subarray(text.indexOf("\r\n\r\n") + 4);
  return {
    conn,
    send: (opcode: number, payload: Uint8Array, fin = true) => {
      const mask = [9, 8, 7, 6];
      const masked = payload.map((b, i) => b ^ mask[i % 4]!);
      return conn.write(new Uint8Array([(fin ? 0x80 : 0) | opcode, 0x80 | payload.length, ...mask, ...masked]));
    },
    /** The next frame, or undefined once the server closed the connection. */
    async frame(): Promise<{ opcode: number; payload: Uint8Array } | undefined> {
      while (pending.length < 2 || pending.length < 2 + (pending[1]! & 0x7f)) if (!(await fill())) return undefined;
      const length = pending[1]! & 0x7f;
      const out = { opcode: pending[0]! & 0x0f, payload: pending.slice(2, 2 + length) };
      pending = pending.subarray(2 + length);
      return out;
    },
  };
}

const closeCodeOf = (payload: Uint8Array) => (payload[0]! << 8) | payload[1]!;

Deno.test("WebSocket: fragmented text is reassembled; ping gets its pong; a close frame is echoed", async () => {
  await withEchoServer(async (port, closes) => {
    const client = await rawClient(port);
    await client.send(0x1, encoder.encode("hel"), false);
    await client.send(0x9, encoder.encode("p")); // a ping between fragments is allowed
    await client.send(0x0, encoder.encode("lo"));
    const pong = await client.frame();
    assert.deepEqual([pong?.opcode, new TextDecoder().decode(pong?.payload)], [0xa, "p"]);
    const echo = await client.frame();
    assert.deepEqual([echo?.opcode, new TextDecoder().decode(echo?.payload)], [0x1, "echo:hello"]);
    await client.send(0x8, new Uint8Array([0x03, 0xe8]));
    const closeFrame = await client.frame();
    assert.deepEqual([closeFrame?.opcode, closeCodeOf(closeFrame!.payload)], [0x8, 1000]);
    assert.equal(await client.frame(), undefined, "the server ends the TCP connection after the echo");
    client.conn.close();
    assert.equal(closes[0]?.code, 1000);
  });
});

Deno.test("WebSocket: invalid UTF-8 closes 1007 and an oversized message 1009", async () => {
  await withEchoServer(async (port) => {
    for (
      const [payload, code] of [[new Uint8Array([0xc3, 0x28]), 1007], [new Uint8Array(125).fill(0x61), 0]] as const
    ) {
      const client = await rawClient(port);
      if (code === 1007) await client.send(0x1, payload);
      else for (let i = 0; i < 9; i++) await client.send(i === 0 ? 0x1 : 0x0, payload, false); // 1,125 bytes > 1,024
      const frame = await client.frame();
      assert.equal(frame?.opcode, 0x8);
      assert.equal(closeCodeOf(frame!.payload), code === 1007 ? 1007 : 1009);
      await client.send(0x8, new Uint8Array([0x03, 0xe8])); // answer the close: the server ends at once
      assert.equal(await client.frame(), undefined);
      client.conn.close();
    }
  });
});

Deno.test("WebSocket: a peer that ignores our close frame is destroyed after the close timeout", async () => {
  await withEchoServer(async (port, closes) => {
    const client = await rawClient(port);
    await client.send(0x1, encoder.encode("close please"));
    const frame = await client.frame();
    assert.deepEqual([frame?.opcode, closeCodeOf(frame!.payload)], [0x8, 4000]);
    const started = Date.now();
    // Never answer: the connection must still end.
    assert.equal(await client.frame(), undefined);
    const waited = Date.now() - started;
    assert.ok(waited >= CLOSE_TIMEOUT_MS - 50 && waited < CLOSE_TIMEOUT_MS + 1000, `${waited}ms`);
    client.conn.close();
    assert.equal(closes[0]?.code, 1006);
  });
});

Deno.test("WebSocket: a peer's close frame is validated: bad codes, a 1-byte body or a non-UTF-8 reason get 1002", async () => {
  const code = (n: number) => [n >> 8, n & 0xff];
  const cases: Array<[number[], number]> = [
    [code(999), 1002],
    [code(1004), 1002],
    [code(1005), 1002],
    [code(1006), 1002],
    [code(1015), 1002],
    [code(2000), 1002],
    [code(5000), 1002],
    [[0x03], 1002],
    [[...code(1000), 0xc3, 0x28], 1002],
    [code(1001), 1001],
    [code(1011), 1011],
    [[...code(3000), 0x6f, 0x6b], 3000],
    [code(4999), 4999],
    [[], 1000],
  ];
  await withEchoServer(async (port, closes) => {
    for (const [payload, expected] of cases) {
      const client = await rawClient(port);
      await client.send(0x8, new Uint8Array(payload));
      const frame = await client.frame();
      assert.deepEqual([frame?.opcode, closeCodeOf(frame!.payload)], [0x8, expected], JSON.stringify(payload));
      assert.equal(await client.frame(), undefined);
      client.conn.close();
    }
    assert.equal(closes[0]?.code, 1002);
  });
});

Deno.test("WebSocket: a 64-bit length with its top bit set is a protocol error (1002)", async () => {
  await withEchoServer(async (port) => {
    const client = await rawClient(port);
    await client.conn.write(new Uint8Array([0x81, 0x80 | 127, 0x80, 0, 0, 0, 0, 0, 0, 1, 9, 8, 7, 6]));
    const frame = await client.frame();
    assert.deepEqual([frame?.opcode, closeCodeOf(frame!.payload)], [0x8, 1002]);
    client.conn.close();
  });
});

Deno.test("WebSocket: a long close reason is cut at a character boundary", async () => {
  await withEchoServer(async (port) => {
    const client = await rawClient(port);
    await client.send(0x1, encoder.encode("close long"));
    const frame = await client.frame();
    assert.equal(frame?.opcode, 0x8);
    assert.ok(frame!.payload.length <= 125);
    const reason = new TextDecoder("utf-8", { fatal: true }).decode(frame!.payload.subarray(2));
    assert.equal(reason, "\u00e9".repeat(61)); // 122 bytes: the 62nd character would straddle byte 123
    client.conn.close();
  });
});

Deno.test("WebSocket: a large message arriving slowly keeps the peer alive (liveness counts bytes, not frames)", async () => {
  const IDLE_MS = 200;
  await withEchoServer(async (port, closes) => {
    const client = await rawClient(port);
    const payload = new Uint8Array(1000).fill(0x61);
    const mask = [1, 2, 3, 4];
    await client.conn.write(new Uint8Array([0x81, 0x80 | 126, 1000 >> 8, 1000 & 0xff, ...mask]));
    // 1,000 bytes over ~1.5 s: longer than twice the idle limit, but never silent for long.
    for (let at = 0; at < payload.length; at += 100) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      await client.conn.write(payload.subarray(at, at + 100).map((b, i) => b ^ mask[(at + i) % 4]!));
    }
    let frame = await client.frame();
    while (frame?.opcode === 0x9) frame = await client.frame(); // pings sent meanwhile
    assert.equal(frame?.opcode, 0x1, `closes: ${JSON.stringify(closes)}`);
    client.conn.close();
  }, IDLE_MS);
});
