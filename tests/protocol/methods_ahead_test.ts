import assert from "node:assert/strict";
import { tempDeviceStore } from "../support/temp_devices.ts";
import { getLogger } from "../../src/log/logger.ts";
import { Connection, DEFAULT_LIMITS } from "../../src/protocol/connection.ts";
import { createProtocolHandlers } from "../../src/protocol/handlers.ts";
import { Hub } from "../../src/protocol/hub.ts";
import type { MethodTableLoader } from "../../src/protocol/methods_ahead.ts";
import { AuthRateLimiter } from "../../src/auth/rate_limit.ts";
import { advertisedMethods, mergeMethods, type MethodTable } from "../../src/rpc/registry.ts";
import { ProtocolValidators } from "../../src/rpc/validators.ts";
import { FakeSocket } from "../support/fake_socket.ts";
import { connectRequest } from "../support/raw_socket.ts";
import { HandshakeDeadlines } from "../../src/protocol/handshake_deadlines.ts";

const TOKEN = "unit-token-0123456789abcdef";
const log = getLogger("test");

const CORE: MethodTable = { health: { scope: undefined, handler: () => ({ ok: true }) } };
const REST: MethodTable = {
  "system-presence": { scope: "operator.read", handler: () => [] },
  "sessions.usage": { scope: "operator.read", advertise: false, handler: () => ({}) },
};

/** A loader naming its table ahead, counting its loads; `named: false` names nothing (the old loader). */
function loader(named: boolean): { load: MethodTableLoader; loads: () => number } {
  let loads = 0;
  const full = mergeMethods(CORE, REST);
  const load = () => {
    loads++;
    return Promise.resolve(full);
  };
  return {
    load: named ? Object.assign(load, { advertised: advertisedMethods(full), core: CORE }) : load,
    loads: () => loads,
  };
}

function connection(methods: MethodTableLoader) {
  const socket = new FakeSocket();
  const hub = new Hub(log);
  const limits = { ...DEFAULT_LIMITS, handshakeTimeoutMs: 50 };
  const handlers = createProtocolHandlers({
    hub,
    methods,
    validators: new ProtocolValidators(),
    auth: () => ({ mode: "token", token: TOKEN, password: undefined }),
    limiter: new AuthRateLimiter({ maxAttempts: 10, windowMs: 60_000, lockoutMs: 300_000, exemptLoopback: false }),
    devices: tempDeviceStore(),
    limits,
    tickIntervalMs: 30_000,
    snapshot: () => ({
      presence: [],
      health: { ok: true },
      uptimeMs: 5,
      appliedConfigHash: null,
      sessionDefaults: {
        defaultAgentId: "main",
        modelConfigured: false,
        ownership: "sole",
        selectionRequired: false,
        mainKey: "main",
        mainSessionKey: "agent:main:main",
        scope: "per-sender",
      },
      updateSchedule: { channel: "stable", autoEnabled: false },
      configPath: "/c/openclaw.json",
      stateDir: "/c",
      authMode: "token",
    }),
    connected: () => {},
    disconnected: () => {},
    log,
  });
  const conn = new Connection(socket, {
    deadlines: new HandshakeDeadlines(),
    remoteAddr: "203.0.113.7",
    handlers,
    limits,
    log,
  });
  hub.add(conn);
  conn.opened();
  return { socket, conn };
}

const connectFrame = () => JSON.stringify(connectRequest({ token: TOKEN, scopes: ["operator.read"] }));
const request = (id: string, method: string) => JSON.stringify({ type: "req", id, method, params: {} });
type Frame = { id?: string; ok?: boolean; payload?: { features?: unknown }; error?: unknown };
const answer = (socket: FakeSocket, id: string) => socket.sent.find((f) => (f as Frame).id === id) as Frame;

Deno.test("a loader named ahead: hello-ok advertises the same features without loading the table", async () => {
  const named = loader(true);
  const ahead = connection(named.load);
  await ahead.conn.received(connectFrame());
  const unnamed = loader(false);
  const old = connection(unnamed.load);
  await old.conn.received(connectFrame());
  assert.equal(named.loads(), 0, "connect did not wait for the table");
  assert.equal(unnamed.loads(), 1, "a loader naming nothing is loaded by connect, as before");
  const features = (socket: FakeSocket) => answer(socket, "c1").payload?.features;
  assert.deepEqual(features(ahead.socket), features(old.socket));
  assert.deepEqual((features(ahead.socket) as { methods: string[] }).methods, ["health", "system-presence"]);
  ahead.conn.close(1000, "");
  old.conn.close(1000, "");
});

Deno.test("a loader named ahead: core methods answer without it, any other request loads it once", async () => {
  const named = loader(true);
  const { socket, conn } = connection(named.load);
  await conn.received(connectFrame());
  await conn.received(request("h", "health"));
  assert.deepEqual(answer(socket, "h").payload, { ok: true });
  await conn.received(request("constructor", "constructor"));
  assert.equal(named.loads(), 1, "a name only inherited by the core table is not a core method");
  await conn.received(request("p", "system-presence"));
  await conn.received(request("u", "sessions.usage"));
  await conn.received(request("x", "no.such.method"));
  assert.equal(named.loads(), 1);
  assert.deepEqual(answer(socket, "p").payload, []);
  assert.deepEqual(answer(socket, "u").payload, {});
  assert.deepEqual(answer(socket, "x").error, { code: "INVALID_REQUEST", message: "unknown method: no.such.method" });
  conn.close(1000, "");
});

Deno.test("a loader named ahead: an unknown method first still loads the table, then answers unknown", async () => {
  const named = loader(true);
  const { socket, conn } = connection(named.load);
  await conn.received(connectFrame());
  await conn.received(request("x", "no.such.method"));
  assert.equal(named.loads(), 1);
  assert.deepEqual(answer(socket, "x").error, { code: "INVALID_REQUEST", message: "unknown method: no.such.method" });
  conn.close(1000, "");
});

Deno.test("a loader named ahead: a load that fails answers that request unavailable, and the next one loads again", async () => {
  let loads = 0;
  const full = mergeMethods(CORE, REST);
  const load = Object.assign(() => {
    loads++;
    return loads === 1 ? Promise.reject(new Error("EMFILE: too many open files")) : Promise.resolve(full);
  }, { advertised: advertisedMethods(full), core: CORE });
  const { socket, conn } = connection(load);
  await conn.received(connectFrame());
  await conn.received(request("a", "system-presence"));
  assert.deepEqual(answer(socket, "a").error, { code: "UNAVAILABLE", message: "system-presence failed" });
  await conn.received(request("b", "system-presence"));
  assert.equal(loads, 2, "the failed load was not kept");
  assert.deepEqual(answer(socket, "b").payload, []);
  await conn.received(request("c", "sessions.usage"));
  assert.equal(loads, 2, "a load that succeeded is kept");
  conn.close(1000, "");
});

Deno.test("a loader named ahead: concurrent first requests for other methods share one load", async () => {
  const named = loader(true);
  const { socket, conn } = connection(named.load);
  await conn.received(connectFrame());
  await Promise.all([conn.received(request("a", "system-presence")), conn.received(request("b", "sessions.usage"))]);
  assert.equal(named.loads(), 1);
  assert.deepEqual(answer(socket, "a").payload, []);
  assert.deepEqual(answer(socket, "b").payload, {});
  conn.close(1000, "");
});
