// The server WebSocket's write path without an async function per frame (websocket.ts): one
// `conn.write` in flight, frames queued meanwhile go out together, partial writes continue, and a
// socket destroyed or failing mid-write writes nothing more. A scripted conn controls each write.
import assert from "node:assert/strict";
import type { ConnReader } from "../../src/server/conn_reader.ts";
import { ServerWebSocket, type WsCloseEvent } from "../../src/server/websocket.ts";
import { textFrame } from "../../src/server/ws_frames.ts";

/** A conn whose writes settle when the test says; `throwOnWrite` makes `write` throw synchronously. */
class ScriptedConn {
  writes: Uint8Array[] = [];
  settle: ((count: number) => void)[] = [];
  closed = false;
  throwOnWrite = false;

  write(bytes: Uint8Array): Promise<number> {
    if (this.throwOnWrite) throw new Error("bad resource");
    this.writes.push(bytes.slice());
    return new Promise((resolve) => this.settle.push(resolve));
  }

  close(): void {
    this.closed = true;
  }
}

/** A reader that gives the socket `incoming` and then waits forever. */
function scriptedReader(incoming: Uint8Array = new Uint8Array(0)): ConnReader {
  let offset = 0;
  const reader = {
    onData: undefined,
    get available() {
      return incoming.length - offset;
    },
    fill: () => new Promise<boolean>(() => {}),
    shrink() {},
    readExactly(count: number): Promise<Uint8Array | undefined> {
      if (offset + count > incoming.length) return new Promise(() => {});
      offset += count;
      return Promise.resolve(incoming.slice(offset - count, offset));
    },
    skip: () => new Promise<boolean>(() => {}),
  };
  return reader as unknown as ConnReader;
}

function open(incoming?: Uint8Array) {
  const conn = new ScriptedConn();
  const ws = new ServerWebSocket({ maxMessageBytes: () => 1 << 20, closeTimeoutMs: 60_000 });
  const closes: WsCloseEvent[] = [];
  ws.onclose = (event) => closes.push(event);
  ws.attach(conn as unknown as Deno.Conn, scriptedReader(incoming));
  return { conn, ws, closes };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const joined = (...parts: Uint8Array[]) => new Uint8Array(parts.flatMap((part) => [...part]));

Deno.test("frames sent while a write is in flight go out together, in order, and a partial write continues", async () => {
  const { conn, ws } = open();
  ws.send("one");
  ws.send("two");
  ws.sendSpliced(new TextEncoder().encode('{"seq":'), 12, new TextEncoder().encode("}"));
  assert.equal(conn.writes.length, 1);
  assert.deepEqual(conn.writes[0], textFrame("one"));
  const queued = joined(textFrame("two"), textFrame('{"seq":12}'));
  assert.equal(ws.bufferedAmount, textFrame("one").length + queued.length);
  conn.settle[0]!(textFrame("one").length);
  await flush();
  assert.equal(conn.writes.length, 2);
  assert.deepEqual(conn.writes[1], queued);
  conn.settle[1]!(3); // the kernel took 3 bytes: the rest follows in the next write
  await flush();
  assert.deepEqual(conn.writes[2], queued.subarray(3));
  conn.settle[2]!(queued.length - 3);
  await flush();
  assert.equal(ws.bufferedAmount, 0);
  assert.equal(conn.writes.length, 3);
});

Deno.test("a socket destroyed while a write is in flight writes nothing more", async () => {
  const { conn, ws, closes } = open();
  ws.send("one");
  ws.send("two");
  ws.terminate();
  assert.equal(conn.closed, true);
  conn.settle[0]!(textFrame("one").length);
  await flush();
  assert.equal(conn.writes.length, 1);
  assert.deepEqual(closes, [{ code: 1006, reason: "" }]);
});

Deno.test("a write that throws at once destroys the socket instead of throwing out of send", () => {
  const { conn, ws, closes } = open();
  conn.throwOnWrite = true;
  ws.send("one");
  assert.equal(ws.readyState, 3);
  assert.equal(conn.closed, true);
  assert.deepEqual(closes, [{ code: 1006, reason: "" }]);
  ws.send("two"); // closed: dropped
});

Deno.test("a peer's close is echoed and the socket ends only once the frames before it are written", async () => {
  // A masked close frame, code 1000, zero mask key.
  const { conn, ws, closes } = open(new Uint8Array([0x88, 0x82, 0, 0, 0, 0, 0x03, 0xe8]));
  ws.send("before");
  await flush();
  assert.equal(ws.readyState, 2);
  assert.deepEqual(closes, []);
  conn.settle[0]!(textFrame("before").length);
  await flush();
  assert.deepEqual(conn.writes[1], new Uint8Array([0x88, 0x02, 0x03, 0xe8]));
  assert.deepEqual(closes, []);
  conn.settle[1]!(4);
  await flush();
  assert.deepEqual(closes, [{ code: 1000, reason: "" }]);
  assert.equal(conn.closed, true);
});
