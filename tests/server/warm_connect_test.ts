import assert from "node:assert/strict";
import { rehearseConnect } from "../../src/server/warm_connect.ts";
import { textFrame } from "../../src/server/ws_frames.ts";

// What the server writes for the scripted connection: the 101 head for the RFC's sample key, the
// challenge-sized event, the response to the one request, and the close echo (1000). Deno's sanitizers
// fail this test if the rehearsal leaves a timer or an op behind.
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
