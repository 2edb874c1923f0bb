import assert from "node:assert/strict";
import { getLogger } from "../../src/log/logger.ts";
import { Connection, type ConnectionIdentity, DEFAULT_LIMITS } from "../../src/protocol/connection.ts";
import { Hub } from "../../src/protocol/hub.ts";
import { FakeSocket } from "../support/fake_socket.ts";
import { connectRequest } from "../support/raw_socket.ts";
import { HandshakeDeadlines } from "../../src/protocol/handshake_deadlines.ts";

const log = getLogger("test");

/** A Connection on a fake socket whose connect handler grants `scopes` with `method`; added to `hub`. */
async function member(
  hub: Hub,
  options: { scopes?: string[]; method?: ConnectionIdentity["method"]; connect?: boolean } = {},
) {
  const socket = new FakeSocket();
  const conn = new Connection(socket, {
    deadlines: new HandshakeDeadlines(),
    remoteAddr: "127.0.0.1",
    limits: { ...DEFAULT_LIMITS, handshakeTimeoutMs: 60_000, maxBufferedBytes: 1_000 },
    log,
    handlers: {
      connect: (c) => {
        c.authorize({
          role: "operator",
          method: options.method ?? "token",
          scopes: options.scopes ?? ["operator.read"],
          clientId: "t",
          clientMode: "cli",
        });
        return Promise.resolve({ ok: true, payload: { type: "hello-ok" } });
      },
      request: () => Promise.resolve(),
      closed: () => {},
    },
  });
  conn.opened();
  hub.add(conn);
  if (options.connect !== false) await conn.received(JSON.stringify(connectRequest({ token: "t" })));
  const events = () => socket.sent.filter((f) => f.type === "event" && f.event !== "connect.challenge");
  return { socket, conn, events };
}

Deno.test("Hub.broadcast stamps each connection's own seq and skips clients that have not connected", async () => {
  const hub = new Hub(log);
  const a = await member(hub);
  const b = await member(hub);
  const pending = await member(hub, { connect: false });
  a.conn.sendEvent("tick", { ts: 1 }); // a is one event ahead of b
  hub.broadcast("tick", { ts: 2 });
  hub.broadcast("tick", { ts: 3 });
  assert.deepEqual(a.events().map((f) => [f.seq, f.payload]), [[1, { ts: 1 }], [2, { ts: 2 }], [3, { ts: 3 }]]);
  assert.deepEqual(b.events().map((f) => [f.seq, f.payload]), [[1, { ts: 2 }], [2, { ts: 3 }]]);
  assert.deepEqual(pending.events(), [], "no broadcast before connect");
  hub.shutdownAll({ reason: "test over" });
});

Deno.test("Hub.broadcast filters by the event's scope and refuses an unlisted event", async () => {
  const hub = new Hub(log);
  const reader = await member(hub, { scopes: ["operator.read"] });
  const writer = await member(hub, { scopes: ["operator.write"] }); // write implies read
  const none = await member(hub, { scopes: [] });
  hub.broadcast("chat", { text: "hi" });
  hub.broadcast("health", { ok: true });
  hub.broadcast("made.up", { secret: 1 });
  assert.deepEqual(reader.events().map((f) => f.event), ["chat", "health"]);
  assert.deepEqual(writer.events().map((f) => f.event), ["chat", "health"]);
  assert.deepEqual(none.events().map((f) => f.event), ["health"], "scope-free events reach everyone");
  hub.shutdownAll({ reason: "test over" });
});

Deno.test("presence and health each bump their own stateVersion and carry it on the event", async () => {
  const hub = new Hub(log);
  const a = await member(hub);
  const b = await member(hub);
  assert.deepEqual(hub.stateVersion, { presence: 1, health: 1 });
  hub.broadcastPresence([{ host: "x" }]);
  hub.broadcastHealth({ ok: true });
  hub.broadcastHealth({ ok: false }, b.conn); // to one member only, still a new version
  assert.deepEqual(hub.stateVersion, { presence: 2, health: 3 });
  assert.deepEqual(a.events().map((f) => [f.event, f.stateVersion]), [
    ["presence", { presence: 2, health: 1 }],
    ["health", { presence: 2, health: 2 }],
  ]);
  assert.deepEqual(b.events().map((f) => [f.event, f.stateVersion, f.payload]), [
    ["presence", { presence: 2, health: 1 }, { presence: [{ host: "x" }] }],
    ["health", { presence: 2, health: 2 }, { ok: true }],
    ["health", { presence: 2, health: 3 }, { ok: false }],
  ]);
  // The getter hands out a copy: a caller cannot move the counters.
  hub.stateVersion.presence = 99;
  assert.equal(hub.stateVersion.presence, 2);
  hub.shutdownAll({ reason: "test over" });
});

Deno.test("a slow consumer is closed with 1008 by a broadcast; the others still get it", async () => {
  const hub = new Hub(log);
  const slow = await member(hub);
  const fast = await member(hub);
  slow.socket.bufferedAmount = 1_001;
  hub.broadcast("tick", { ts: 1 });
  assert.deepEqual(slow.socket.closed, { code: 1008, reason: "slow consumer" });
  assert.deepEqual(slow.events(), []);
  assert.deepEqual(fast.events().map((f) => f.payload), [{ ts: 1 }]);
  assert.equal(fast.socket.closed, undefined);
  hub.shutdownAll({ reason: "test over" });
});

Deno.test("closeSharedSecretSessions closes token and password sessions with 4001, not device ones", async () => {
  const hub = new Hub(log);
  const token = await member(hub, { method: "token" });
  const password = await member(hub, { method: "password" });
  const device = await member(hub, { method: "device-token" });
  assert.equal(hub.closeSharedSecretSessions(), 2);
  assert.deepEqual(token.socket.closed, { code: 4001, reason: "gateway auth changed" });
  assert.deepEqual(password.socket.closed, { code: 4001, reason: "gateway auth changed" });
  assert.equal(device.socket.closed, undefined);
  hub.broadcast("tick", { ts: 1 });
  assert.deepEqual(device.events().map((f) => f.event), ["tick"]);
  hub.shutdownAll({ reason: "test over" });
});

Deno.test("shutdownAll tells connected clients why, closes everyone with 1012, survives a failing close", async () => {
  const hub = new Hub(log);
  const connected = await member(hub);
  const pending = await member(hub, { connect: false });
  const broken = await member(hub);
  broken.socket.close = () => {
    throw new Error("socket already gone");
  };
  const last = await member(hub);
  hub.shutdownAll({ reason: "gateway restarting", restartExpectedMs: 1500 });
  assert.deepEqual(connected.events().at(-1), {
    type: "event",
    event: "shutdown",
    payload: { reason: "gateway restarting", restartExpectedMs: 1500 },
    seq: 1,
  });
  assert.deepEqual(pending.events(), [], "a client that never connected gets the close only");
  for (const m of [connected, pending, last]) {
    assert.deepEqual(m.socket.closed, { code: 1012, reason: "service restart" });
  }
  // The hub is empty afterwards: a later broadcast reaches no one.
  hub.broadcast("tick", { ts: 9 });
  assert.equal(last.events().filter((f) => f.event === "tick").length, 0);
});
