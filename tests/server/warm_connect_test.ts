import assert from "node:assert/strict";
import { rehearseConnect } from "../../src/server/warm_connect.ts";
import { ServerWebSocket } from "../../src/server/websocket.ts";
import { textFrame } from "../../src/server/ws_frames.ts";

// How many bytes the server writes for the scripted connection: the 101 head for the RFC's sample key, the
// challenge-sized event, the response to the one request, and the close echo (1000); the count shows every step ran
// (the bytes themselves are not kept). That it leaves no timer armed is held by tests/integration/timers_released_test.ts.
Deno.test("rehearseConnect: serves one upgrade, one request and the close handshake in memory", async () => {
  const head = "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\n" +
    // RFC 6455 §1.3's sample: key dGhlIHNhbXBsZSBub25jZQ== gives this accept value.
    "sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
  const challenge = JSON.stringify({ type: "event", event: "connect.challenge", payload: { ts: 0 } });
  const response = JSON.stringify({ type: "res", id: "warm-up", ok: true, payload: { type: "hello-ok" } });
  const expected = new TextEncoder().encode(head).length + textFrame(challenge).length + textFrame(response).length +
    4; // the close echo: two header bytes and the code
  assert.equal(await rehearseConnect(), expected);
  // Twice in a row: nothing of the first is left to change the second.
  assert.equal(await rehearseConnect(), expected);
});

/** Settles with what `work` settled with, or "pending" if it has not within `ms` (the timer is cleared either way). */
async function within<T>(work: Promise<T>, ms: number): Promise<T | "pending"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([work, new Promise<"pending">((resolve) => timer = setTimeout(resolve, ms, "pending"))]);
  } finally {
    clearTimeout(timer);
  }
}

// The rehearsal is awaited before the port is bound: a failure in it must neither reject (Gateway.start would fail)
// nor leave it pending (the gateway would never listen). Faults injected where the code cannot fail on its own.
Deno.test("rehearseConnect: a socket whose open throws is ended by the bound, not left pending", async () => {
  const send = ServerWebSocket.prototype.send;
  let calls = 0;
  ServerWebSocket.prototype.send = function (this: ServerWebSocket, data: string) {
    if (++calls === 1) throw new RangeError("injected: the first send fails");
    send.call(this, data);
  };
  try {
    const outcome = await within(rehearseConnect(20), 5_000);
    assert.equal(typeof outcome, "number", "the rehearsal was still pending 5 s after its 20 ms bound");
  } finally {
    ServerWebSocket.prototype.send = send;
  }
});

Deno.test("rehearseConnect: a throw while building the scripted input resolves with 0 bytes, never rejects", async () => {
  const encode = TextEncoder.prototype.encode;
  TextEncoder.prototype.encode = () => {
    throw new RangeError("injected: encoding fails");
  };
  try {
    const outcome = await within(rehearseConnect().catch((error) => `rejected: ${error}`), 5_000);
    assert.equal(outcome, 0);
  } finally {
    TextEncoder.prototype.encode = encode;
  }
});
