import assert from "node:assert/strict";
import { getLogger } from "../../src/log/logger.ts";
import { Connection, type ConnectionHandlers, DEFAULT_LIMITS } from "../../src/protocol/connection.ts";
import { Hub, type HubMember } from "../../src/protocol/hub.ts";
import type { UpgradeAnswer, Upgrader } from "../../src/server/http1.ts";
import { SocketAdapter } from "../../src/server/socket_adapter.ts";
import type { ServerWebSocket } from "../../src/server/websocket.ts";
import { FakeSocket } from "../support/fake_socket.ts";

const log = getLogger("test");

/** A fake upgraded socket: records what is sent and lets the test fire its events. */
class UpgradedSocket extends FakeSocket {
  onopen: (() => void) | undefined;
  onmessage: ((event: { data: string | ArrayBuffer }) => void) | undefined;
  onclose: ((event: { code: number; reason: string }) => void) | undefined;
  onerror: (() => void) | undefined;
}

/** An upgrader handing out fake sockets, as the HTTP/1.1 server's hook would hand out real ones. */
function fakeUpgrader(options: { fail?: boolean } = {}) {
  const sockets: UpgradedSocket[] = [];
  const upgrade: Upgrader = () => {
    if (options.fail) throw new TypeError("not a WebSocket upgrade request");
    const socket = new UpgradedSocket();
    sockets.push(socket);
    // The adapter only touches the event handlers and what ProtocolSocket declares.
    return { socket: socket as unknown as ServerWebSocket };
  };
  return { upgrade, sockets };
}

/** A hub that keeps what joined it (or refuses every member, to make opening throw). */
class RecordingHub extends Hub {
  members: HubMember[] = [];
  refuse = false;
  override add(member: HubMember): void {
    if (this.refuse) throw new Error("hub refused the member");
    this.members.push(member);
    super.add(member);
  }
}

const handlers: ConnectionHandlers = {
  connect: () => Promise.reject(new Error("no frames in these tests")),
  request: () => Promise.resolve(),
  closed: () => {},
};

function adapter(preAuth = { total: 10, perAddress: 1 }) {
  const hub = new RecordingHub(log);
  const sockets = new SocketAdapter({ hub, limits: DEFAULT_LIMITS, preAuth, closeTimeoutMs: 1000, log });
  return { hub, sockets };
}

/** The refusal an answer is; an accepted upgrade fails the test. */
function refused(answer: UpgradeAnswer): Response {
  assert.ok(answer instanceof Response, "the upgrade was accepted");
  return answer;
}

/** Fails the test unless the adapter accepted the upgrade (answered with what the upgrader returned). */
function assertAccepted(answer: UpgradeAnswer): void {
  assert.ok(!(answer instanceof Response), "the upgrade was refused");
}

function upgradeFrom(remoteAddr: string, upgrade: Upgrader, headers: HeadersInit = {}) {
  return {
    request: new Request("http://127.0.0.1:18789/", { headers: { host: "127.0.0.1:18789", ...headers } }),
    socketAddr: remoteAddr,
    remoteAddr,
    upgrade,
    handlers,
    allowedOrigins: [],
  };
}

Deno.test("SocketAdapter refuses a foreign Origin with 403 before taking a slot or a socket", async () => {
  const { sockets } = adapter();
  const upgrader = fakeUpgrader();
  const response = refused(
    sockets.accept(upgradeFrom("203.0.113.9", upgrader.upgrade, { origin: "https://evil.example" })),
  );
  assert.equal(response.status, 403);
  assert.match(await response.text(), /^origin not allowed/);
  assert.equal(upgrader.sockets.length, 0);
  assertAccepted(sockets.accept(upgradeFrom("203.0.113.9", upgrader.upgrade)));
});

Deno.test("SocketAdapter caps sockets awaiting connect per address; a closed socket gives its slot back", async () => {
  const { sockets } = adapter({ total: 10, perAddress: 1 });
  const upgrader = fakeUpgrader();
  assertAccepted(sockets.accept(upgradeFrom("203.0.113.9", upgrader.upgrade)));
  const full = refused(sockets.accept(upgradeFrom("203.0.113.9", upgrader.upgrade)));
  assert.equal(full.status, 503);
  assert.equal(full.headers.get("retry-after"), "5");
  assert.equal(await full.text(), "Too many unauthenticated sockets");
  assertAccepted(sockets.accept(upgradeFrom("198.51.100.1", upgrader.upgrade)));
  upgrader.sockets[0]!.onclose?.({ code: 1000, reason: "" });
  assertAccepted(sockets.accept(upgradeFrom("203.0.113.9", upgrader.upgrade)));
});

Deno.test("SocketAdapter gives the slot back once connect succeeded, and when the upgrade itself throws", () => {
  const { hub, sockets } = adapter({ total: 10, perAddress: 1 });
  const upgrader = fakeUpgrader();
  sockets.accept(upgradeFrom("203.0.113.9", upgrader.upgrade));
  upgrader.sockets[0]!.onopen?.();
  const connection = hub.members[0];
  assert.ok(connection instanceof Connection);
  sockets.authenticated(connection);
  assertAccepted(sockets.accept(upgradeFrom("203.0.113.9", upgrader.upgrade)));

  const other = adapter({ total: 10, perAddress: 1 }).sockets;
  assert.throws(() => other.accept(upgradeFrom("203.0.113.9", fakeUpgrader({ fail: true }).upgrade)), TypeError);
  assertAccepted(other.accept(upgradeFrom("203.0.113.9", upgrader.upgrade)));
  for (const socket of upgrader.sockets) socket.onclose?.({ code: 1000, reason: "" });
});

Deno.test("SocketAdapter joins an opened socket to the hub, where the connection speaks first", () => {
  const { hub, sockets } = adapter();
  const upgrader = fakeUpgrader();
  sockets.accept(upgradeFrom("203.0.113.9", upgrader.upgrade, { origin: "http://127.0.0.1:18789" }));
  const socket = upgrader.sockets[0]!;
  socket.onopen?.();
  assert.equal(hub.members.length, 1);
  assert.equal(socket.sent[0]?.event, "connect.challenge");
  const connection = hub.members[0];
  assert.ok(connection instanceof Connection);
  assert.deepEqual(connection.peer, { origin: "http://127.0.0.1:18789", direct: false });
  socket.onclose?.({ code: 1000, reason: "" });
  assert.equal(connection.state, "closed");
});

Deno.test("SocketAdapter closes a socket whose opening throws with 1011 instead of letting the throw escape", () => {
  const { hub, sockets } = adapter();
  hub.refuse = true;
  const upgrader = fakeUpgrader();
  sockets.accept(upgradeFrom("127.0.0.1", upgrader.upgrade));
  const socket = upgrader.sockets[0]!;
  socket.onopen?.();
  assert.deepEqual(socket.closed, { code: 1011, reason: "internal error" });
  socket.onclose?.({ code: 1011, reason: "internal error" });
});

Deno.test("SocketAdapter.closed() waits for open sockets to finish closing, and no longer than its bound", async () => {
  const { sockets } = adapter();
  const upgrader = fakeUpgrader();
  sockets.accept(upgradeFrom("203.0.113.9", upgrader.upgrade));
  let settled = false;
  const waiting = sockets.closed(60_000).then(() => settled = true);
  await Promise.resolve();
  assert.equal(settled, false);
  upgrader.sockets[0]!.onclose?.({ code: 1012, reason: "" });
  await waiting;
  assert.equal(settled, true);

  sockets.accept(upgradeFrom("198.51.100.1", upgrader.upgrade));
  await sockets.closed(10); // the second socket never closes: the bound ends the wait
  upgrader.sockets[1]!.onclose?.({ code: 1000, reason: "" });
});
