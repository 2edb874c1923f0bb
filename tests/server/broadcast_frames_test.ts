import assert from "node:assert/strict";
import { getLogger } from "../../src/log/logger.ts";
import { Connection, DEFAULT_LIMITS } from "../../src/protocol/connection.ts";
import { Hub } from "../../src/protocol/hub.ts";
import type { ProtocolSocket } from "../../src/protocol/socket.ts";
import { splicedTextFrame, textFrame } from "../../src/server/ws_frames.ts";
import { HandshakeDeadlines } from "../../src/protocol/handshake_deadlines.ts";

const log = getLogger("test");

/** A socket recording the wire bytes of each frame, through the spliced path when `spliced`. */
class ByteSocket implements ProtocolSocket {
  frames: Uint8Array[] = [];
  bufferedAmount = 0;
  readyState = 1;
  closed: number | undefined;
  sendSpliced?: (head: Uint8Array, seq: number, tail: Uint8Array) => void;

  constructor(spliced: boolean) {
    if (spliced) this.sendSpliced = (head, seq, tail) => this.frames.push(splicedTextFrame(head, seq, tail));
  }

  send(data: string): void {
    this.frames.push(textFrame(data));
  }

  close(code?: number): void {
    this.closed = code;
  }
}

/** A connected client with these scopes, on a byte-recording socket. */
async function client(hub: Hub, scopes: string[], spliced = true) {
  const socket = new ByteSocket(spliced);
  const conn = new Connection(socket, {
    deadlines: new HandshakeDeadlines(),
    remoteAddr: "127.0.0.1",
    limits: DEFAULT_LIMITS,
    log,
    handlers: {
      connect: (c) => {
        c.authorize({ role: "operator", method: "token", scopes, clientId: "t", clientMode: "cli" });
        return Promise.resolve({ ok: true, payload: { type: "hello-ok" } });
      },
      request: () => Promise.resolve(),
      closed: () => {},
    },
  });
  hub.add(conn);
  conn.opened();
  await conn.received(JSON.stringify({ type: "req", id: "c1", method: "connect", params: {} }));
  socket.frames.length = 0; // the challenge and hello-ok are not broadcasts
  return Object.assign(socket, { connId: conn.connId });
}

/** The frame as the gateway encoded each event before broadcasts were shared: its own JSON, its own bytes. */
function oldFrame(event: string, payload: unknown, seq: number, stateVersion?: unknown): Uint8Array {
  const frame: Record<string, unknown> = { type: "event", event, payload, seq };
  if (stateVersion !== undefined) frame.stateVersion = stateVersion;
  return textFrame(JSON.stringify(frame));
}

const decoder = new TextDecoder();

Deno.test("a broadcast's spliced frames are byte for byte the frames each client got before", async () => {
  const hub = new Hub(log);
  const reader = await client(hub, ["operator.read"]);
  const plain = await client(hub, ["operator.read"], false);
  const blind = await client(hub, []);
  const expected: Uint8Array[] = [];
  const blindExpected: Uint8Array[] = [];
  let seq = 0;
  let blindSeq = 0;
  const sent = (event: string, payload: unknown, stateVersion?: unknown, scoped = true) => {
    expected.push(oldFrame(event, payload, ++seq, stateVersion));
    if (!scoped) blindExpected.push(oldFrame(event, payload, ++blindSeq, stateVersion));
  };
  // Seq 9 makes a 125-byte text (a 2-byte header), seq 10 a 126-byte one (a 4-byte header).
  for (let i = 0; i < 12; i++) {
    const payload = { ts: 1_700_000_000_000 + i, pad: "x".repeat(46) };
    hub.broadcast("tick", payload);
    sent("tick", payload, undefined, false);
  }
  hub.broadcast("heartbeat", { text: "héllo ✓ 😀 \u2028" });
  sent("heartbeat", { text: "héllo ✓ 😀 \u2028" }, undefined, false);
  // 65,535 and 65,536 bytes of text: a 4-byte header, then a 10-byte one.
  for (const size of [65_473, 65_474]) {
    const big = { blob: "y".repeat(size) };
    hub.broadcast("tick", big);
    sent("tick", big, undefined, false);
  }
  hub.broadcastPresence([{ host: "gw", text: "ü" }]);
  sent("presence", { presence: [{ host: "gw", text: "ü" }] }, hub.stateVersion);
  hub.broadcastHealth({ ok: true });
  sent("health", { ok: true }, hub.stateVersion, false);
  hub.broadcast("config.changed", { path: "/c", hash: "h", ts: 1 });
  sent("config.changed", { path: "/c", hash: "h", ts: 1 });

  assert.equal(reader.frames.length, expected.length);
  assert.deepEqual([expected[8]![1], expected[9]![1], expected[13]![1], expected[14]![1]], [125, 126, 126, 127]);
  for (let i = 0; i < expected.length; i++) {
    assert.deepEqual(reader.frames[i], expected[i], `spliced frame ${i}: ${decoder.decode(reader.frames[i])}`);
    assert.deepEqual(plain.frames[i], expected[i], `text frame ${i}`);
  }
  assert.deepEqual(blind.frames, blindExpected, "a client without operator.read gets only the unscoped events");
});

Deno.test("events sent to subscribers are spliced too, and reach only the subscribers their scope allows", async () => {
  const hub = new Hub(log);
  const subscribed = await client(hub, ["operator.read"]);
  const other = await client(hub, ["operator.read"]);
  const blind = await client(hub, []);
  hub.sessionSubscriptions.subscribeSessions(subscribed.connId);
  hub.sessionSubscriptions.subscribeSessions(blind.connId);
  hub.broadcast("tick", { ts: 1 });
  hub.sendTo(hub.sessionSubscriptions.sessionSubscribers(), "sessions.changed", { key: "agent:main:main" });
  assert.deepEqual(subscribed.frames, [
    oldFrame("tick", { ts: 1 }, 1),
    oldFrame("sessions.changed", { key: "agent:main:main" }, 2),
  ]);
  assert.deepEqual(other.frames, [oldFrame("tick", { ts: 1 }, 1)]);
  assert.deepEqual(
    blind.frames,
    [oldFrame("tick", { ts: 1 }, 1)],
    "subscribed, but sessions.changed needs operator.read",
  );
});

Deno.test("a client that stops reading is closed as a slow consumer on the spliced path, not buffered", async () => {
  const hub = new Hub(log);
  const slow = await client(hub, ["operator.read"]);
  slow.bufferedAmount = DEFAULT_LIMITS.maxBufferedBytes + 1;
  hub.broadcast("tick", { ts: 1 });
  assert.equal(slow.frames.length, 0);
  assert.equal(slow.closed, 1008);
});
