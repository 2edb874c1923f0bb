import assert from "node:assert/strict";
import { tempDeviceStore } from "../support/temp_devices.ts";
import { getLogger } from "../../src/log/logger.ts";
import { Connection, DEFAULT_LIMITS } from "../../src/protocol/connection.ts";
import { createProtocolHandlers } from "../../src/protocol/handlers.ts";
import { Hub } from "../../src/protocol/hub.ts";
import { AuthRateLimiter } from "../../src/auth/rate_limit.ts";
import { healthMethods, type HealthSnapshot } from "../../src/rpc/methods/health.ts";
import type { MethodTable } from "../../src/rpc/registry.ts";
import { ProtocolValidators } from "../../src/rpc/validators.ts";
import { FakeSocket } from "../support/fake_socket.ts";
import { connectRequest } from "../support/raw_socket.ts";
import { HandshakeDeadlines } from "../../src/protocol/handshake_deadlines.ts";

const TOKEN = "unit-token-0123456789abcdef";
const log = getLogger("test");

function connection(
  options: { remoteAddr?: string; limits?: Partial<typeof DEFAULT_LIMITS>; methods?: MethodTable } = {},
) {
  const socket = new FakeSocket();
  const hub = new Hub(log);
  const limits = { ...DEFAULT_LIMITS, handshakeTimeoutMs: 50, ...options.limits };
  const handlers = createProtocolHandlers({
    hub,
    methods: options.methods ?? healthMethods({ snapshot: () => ({ ok: true } as unknown as HealthSnapshot) }),
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
      appliedConfigHash: "abc",
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
    remoteAddr: options.remoteAddr ?? "203.0.113.7",
    handlers,
    limits,
    log,
  });
  hub.add(conn);
  conn.opened();
  return { socket, conn, hub };
}

function connectFrame(params: Record<string, unknown> = {}) {
  const frame = connectRequest({ token: TOKEN }) as { params: Record<string, unknown> };
  return JSON.stringify({ ...frame, params: { ...frame.params, ...params } });
}

Deno.test("Connection speaks first with connect.challenge {nonce, ts}", () => {
  const { socket, conn } = connection();
  const challenge = socket.sent[0]!;
  assert.equal(challenge.event, "connect.challenge");
  assert.equal((challenge.payload as { nonce: string }).nonce, conn.nonce);
  assert.equal(typeof (challenge.payload as { ts: number }).ts, "number");
  assert.equal("seq" in challenge, false, "the challenge carries no seq");
  conn.close(1000, "");
});

Deno.test("Connection answers a valid connect with hello-ok and opens", async () => {
  const { socket, conn } = connection();
  await conn.received(connectFrame({ scopes: ["operator.read"] }));
  const res = socket.sent[1]! as { ok: boolean; payload: Record<string, unknown> };
  assert.equal(res.ok, true);
  assert.equal(res.payload.type, "hello-ok");
  assert.equal(res.payload.protocol, 4);
  assert.deepEqual(res.payload.auth, { method: "token", role: "operator", scopes: ["operator.read"] });
  assert.equal(conn.state, "open");
  conn.sendEvent("tick", { ts: 1 });
  conn.sendEvent("tick", { ts: 2 });
  assert.deepEqual(socket.sent.slice(2).map((f) => f.seq), [1, 2]);
  conn.close(1000, "");
});

Deno.test("hello-ok advertises capabilities and the snapshot fields each caller may see", async () => {
  const read = connection();
  await read.conn.received(connectFrame({ scopes: ["operator.read"] }));
  const hello = (read.socket.sent[1]! as { payload: Record<string, Record<string, unknown>> }).payload;
  assert.ok(Array.isArray(hello.features!.capabilities));
  assert.deepEqual(Object.keys(hello.snapshot!), [
    "suspension",
    "presence",
    "health",
    "stateVersion",
    "uptimeMs",
    "appliedConfigHash",
    "sessionDefaults",
    "updateSchedule",
  ]);
  assert.deepEqual(hello.snapshot!.suspension, { phase: "accepting" });
  read.conn.close(1000, "");
  const admin = connection();
  await admin.conn.received(connectFrame({ scopes: ["operator.admin"] }));
  const adminHello = (admin.socket.sent[1]! as { payload: Record<string, Record<string, unknown>> }).payload;
  assert.deepEqual(
    [adminHello.snapshot!.configPath, adminHello.snapshot!.stateDir, adminHello.snapshot!.authMode],
    ["/c/openclaw.json", "/c", "token"],
  );
  admin.conn.close(1000, "");
});

Deno.test("Connection refuses a non-connect first request with 1008", async () => {
  const { socket, conn } = connection();
  await conn.received(JSON.stringify({ type: "req", id: "x1", method: "health" }));
  assert.deepEqual(socket.sent[1]!.error, {
    code: "INVALID_REQUEST",
    message: "invalid handshake: first request must be connect",
  });
  assert.deepEqual(socket.closed, { code: 1008, reason: "invalid handshake: first request must be connect" });
  assert.equal(conn.state, "closed");
});

Deno.test("Connection closes 1000 on garbage and 1009 on an oversized first frame", async () => {
  const garbage = connection();
  await garbage.conn.received("not json at all");
  assert.deepEqual(garbage.socket.closed, { code: 1000, reason: "" });
  const big = connection();
  await big.conn.received("x".repeat(70_000));
  assert.equal(big.socket.closed?.code, 1009);
});

Deno.test("Connection refuses a wrong token with unauthorized and 1008", async () => {
  const c = connection();
  await c.conn.received(connectFrame({ auth: { token: "wrong" } }));
  const error = c.socket.sent[1]!.error as { code: string; message: string; details: { code: string } };
  assert.equal(error.code, "INVALID_REQUEST");
  assert.match(error.message, /^unauthorized: gateway token mismatch/);
  assert.equal(error.details.code, "AUTH_TOKEN_MISMATCH");
  assert.equal(c.socket.closed?.code, 1008);
});

Deno.test("Connection answers a protocol mismatch with 1002", async () => {
  const c = connection();
  await c.conn.received(connectFrame({ minProtocol: 5, maxProtocol: 5 }));
  assert.equal((c.socket.sent[1]!.error as { message: string }).message, "protocol mismatch");
  assert.equal(c.socket.closed?.code, 1002);
});

Deno.test("Connection accepts protocol 3..4 from a probe client", async () => {
  const c = connection();
  await c.conn.received(connectFrame({
    minProtocol: 3,
    maxProtocol: 4,
    client: { id: "cli", version: "dev", platform: "linux", mode: "probe" },
  }));
  assert.equal(c.socket.sent[1]!.ok, true);
  c.conn.close(1000, "");
});

Deno.test("Connection closes a client that sends nothing within the handshake timeout", async () => {
  const c = connection({ limits: { handshakeTimeoutMs: 10 } });
  await new Promise((r) => setTimeout(r, 30));
  assert.deepEqual(c.socket.closed, { code: 1000, reason: "" });
});

Deno.test("Connection drops a slow consumer whose buffer passes maxBufferedBytes", async () => {
  const c = connection({ limits: { maxBufferedBytes: 100 } });
  await c.conn.received(connectFrame());
  c.socket.bufferedAmount = 101;
  c.conn.sendEvent("tick", {});
  assert.deepEqual(c.socket.closed, { code: 1008, reason: "slow consumer" });
});

Deno.test("Hub.shutdownAll sends shutdown to authenticated clients and closes all with 1012", async () => {
  const authed = connection();
  await authed.conn.received(connectFrame());
  authed.hub.shutdownAll({ reason: "gateway stopping" });
  assert.deepEqual(authed.socket.sent.at(-1), {
    type: "event",
    event: "shutdown",
    payload: { reason: "gateway stopping" },
    seq: 1,
  });
  assert.deepEqual(authed.socket.closed, { code: 1012, reason: "service restart" });
});

/** A connection whose handlers accept any connect and then fail in the ways issue 17 injected. */
function faultyConnection(faults: { request?: () => never; closed?: () => never; accepted?: () => never }) {
  const socket = new FakeSocket();
  const errors: string[] = [];
  const quiet = { ...log, error: (message: string) => errors.push(message) } as unknown as typeof log;
  const conn = new Connection(socket, {
    deadlines: new HandshakeDeadlines(),
    remoteAddr: "127.0.0.1",
    limits: { ...DEFAULT_LIMITS, handshakeTimeoutMs: 50 },
    log: quiet,
    handlers: {
      connect: (c) => {
        c.authorize({ role: "operator", method: "token", scopes: [], clientId: "t", clientMode: "cli" });
        return Promise.resolve({ ok: true, payload: { type: "hello-ok" }, onAccepted: faults.accepted });
      },
      request: faults.request ?? (() => Promise.resolve()),
      closed: faults.closed ?? (() => {}),
    },
  });
  conn.opened();
  return { socket, conn, errors };
}

Deno.test("a handler that throws is answered and logged once; the socket stays open", async () => {
  const { socket, conn, errors } = faultyConnection({
    request: () => {
      throw new Error("injected handler fault");
    },
  });
  await conn.received(connectFrame());
  await conn.received(JSON.stringify({ type: "req", id: "r1", method: "health" }));
  const answer = socket.sent.find((frame) => frame.id === "r1") as { ok: boolean; error: { code: string } };
  assert.equal(answer.ok, false);
  assert.equal(answer.error.code, "UNAVAILABLE");
  assert.equal(errors.length, 1);
  assert.match(errors[0]!, /injected handler fault/);
  assert.equal(socket.closed, undefined);
  assert.equal(conn.state, "open");
  conn.close(1000, "");
});

Deno.test("received() never rejects: a fault outside the request path closes the socket with 1011", async () => {
  const { socket, conn, errors } = faultyConnection({
    accepted: () => {
      throw new Error("injected presence fault");
    },
  });
  await conn.received(connectFrame());
  assert.equal(socket.closed?.code, 1011);
  assert.equal(errors.length, 1);
  assert.match(errors[0]!, /injected presence fault/);
});

Deno.test("a close handler that throws is logged, not thrown into the socket's close event", () => {
  const { conn, errors } = faultyConnection({
    closed: () => {
      throw new Error("injected close fault");
    },
  });
  conn.socketClosed();
  assert.equal(conn.state, "closed");
  assert.match(errors[0]!, /injected close fault/);
});

Deno.test("a handler's post-response task runs after its response frame is written (a device closing itself hears the answer)", async () => {
  const seen: { answered: boolean; closed: boolean }[] = [];
  const target: { socket?: FakeSocket; conn?: Connection } = {};
  const methods: MethodTable = {
    "test.leave": {
      scope: "operator.read",
      handler: async ({ afterResponse }) => {
        await Promise.resolve();
        afterResponse?.(() => {
          seen.push({
            answered: target.socket!.sent.some((f) => f.id === "leave-1" && f.ok === true),
            closed: target.socket!.closed !== undefined,
          });
          target.conn!.close(4001, "device removed");
        });
        return { left: true };
      },
    },
  };
  const { socket, conn } = connection({ methods });
  Object.assign(target, { socket, conn });
  await conn.received(connectFrame({ scopes: ["operator.read"] }));
  await conn.received(JSON.stringify({ type: "req", id: "leave-1", method: "test.leave", params: {} }));
  assert.deepEqual(seen, [{ answered: true, closed: false }]);
  assert.equal(socket.closed?.code, 4001);
});

Deno.test("a connect's onDelivered hears whether hello-ok was written, and false when the client left first", async () => {
  const run = async (leaveWhileDeciding: boolean) => {
    const socket = new FakeSocket();
    const heard: boolean[] = [];
    let decide: () => void = () => {};
    const decided = new Promise<void>((resolve) => (decide = resolve));
    const conn = new Connection(socket, {
      deadlines: new HandshakeDeadlines(),
      remoteAddr: "203.0.113.7",
      limits: DEFAULT_LIMITS,
      log,
      handlers: {
        connect: async () => {
          await decided;
          return { ok: true, payload: { type: "hello-ok" }, onDelivered: (delivered) => heard.push(delivered) };
        },
        request: async () => {},
        closed: () => {},
      },
    });
    conn.opened();
    const received = conn.received(connectFrame());
    if (leaveWhileDeciding) conn.socketClosed();
    decide();
    await received;
    return { heard, sent: socket.sent.filter((frame) => frame.type === "res").length };
  };
  assert.deepEqual(await run(false), { heard: [true], sent: 1 });
  assert.deepEqual(await run(true), { heard: [false], sent: 0 });
});
