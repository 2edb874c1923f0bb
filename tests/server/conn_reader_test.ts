import assert from "node:assert/strict";
import { ConnReader } from "../../src/server/conn_reader.ts";

/** A connection that hands out `data` in reads and records the free space each read offered. */
function fakeConn(data: Uint8Array): { conn: Deno.Conn; offered: number[] } {
  let at = 0;
  const offered: number[] = [];
  const conn = {
    read(buffer: Uint8Array): Promise<number | null> {
      offered.push(buffer.length);
      if (at >= data.length) return Promise.resolve(null);
      const n = Math.min(buffer.length, data.length - at);
      buffer.set(data.subarray(at, at + n));
      at += n;
      return Promise.resolve(n);
    },
  };
  // deno-lint-ignore no-explicit-any -- a test double: ConnReader only calls read().
  return { conn: conn as any, offered };
}

Deno.test("a shrunk reader waits with small reads and still reads a large message whole", async () => {
  const message = new Uint8Array(20_000).map((_, i) => i & 0xff);
  const { conn, offered } = fakeConn(new Uint8Array([1, 2, ...message, 3]));
  const reader = new ConnReader(conn);
  reader.shrink(512);
  assert.deepEqual(await reader.readExactly(2), new Uint8Array([1, 2]));
  assert.equal(offered[0], 512, "the first read of a held socket offers only the small chunk");
  assert.deepEqual(await reader.readExactly(message.length), message);
  assert.deepEqual(await reader.readExactly(1), new Uint8Array([3]));
  // Once the large message is consumed, the buffer is back to the small chunk for the next wait.
  assert.equal(await reader.readExactly(1), undefined);
  assert.ok(offered.at(-1)! <= 512, `last read offered ${offered.at(-1)} bytes`);
});

Deno.test("an unshrunk reader offers 4 KiB per read", async () => {
  const { conn, offered } = fakeConn(new Uint8Array([7]));
  const reader = new ConnReader(conn);
  assert.deepEqual(await reader.readExactly(1), new Uint8Array([7]));
  assert.equal(offered[0], 4096);
});

Deno.test("a shrunk reader skips a long run in 4 KiB reads and then waits small again", async () => {
  const { conn, offered } = fakeConn(new Uint8Array(40_000 + 1).fill(9));
  const reader = new ConnReader(conn);
  reader.shrink(512);
  assert.equal(await reader.skip(40_000), true);
  // 512-byte reads made dropping an oversized WebSocket frame about four times slower.
  assert.ok(offered.length <= 12, `skipping 40,000 bytes took ${offered.length} reads`);
  assert.deepEqual(await reader.readExactly(1), new Uint8Array([9]));
  assert.equal(await reader.readExactly(1), undefined);
  assert.ok(offered.at(-1)! <= 512, `the wait after the skip offered ${offered.at(-1)} bytes`);
});

Deno.test("a shrunk reader reads a 12 KB message in two reads, not one per doubling", async () => {
  // The whole message is there to read: only the space each read offers limits it.
  const message = new Uint8Array(12_000).map((_, i) => i & 0xff);
  const { conn, offered } = fakeConn(message);
  const reader = new ConnReader(conn);
  reader.shrink(512);
  assert.deepEqual(await reader.readExactly(2), message.subarray(0, 2));
  assert.deepEqual(await reader.readExactly(message.length - 2), message.subarray(2));
  assert.ok(offered.length <= 2, `12,000 bytes took ${offered.length} reads (${offered.join(", ")})`);
  assert.equal(offered[0], 512, "the wait for a frame head still offers only the small chunk");
});
