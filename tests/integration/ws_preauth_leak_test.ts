// The pre-auth budget survives malformed upgrades: each is refused by the HTTP layer (400/426)
// before the gateway takes a slot, so they cannot lock an address out of WebSocket.
import assert from "node:assert/strict";
import { startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "preauth-leak-token-0123456789abcdef";
const PER_IP = 4;
const encoder = new TextEncoder();

/** Sends a raw request; returns the status line the gateway answers with. */
async function statusOf(port: number, request: string): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(encoder.encode(request));
    let text = "";
    const buffer = new Uint8Array(4096);
    while (!text.includes("\r\n")) {
      const n = await conn.read(buffer);
      if (n === null) break;
      text += new TextDecoder().decode(buffer.subarray(0, n));
    }
    return text.slice(0, text.indexOf("\r\n"));
  } finally {
    conn.close();
  }
}

Deno.test("gateway: malformed WebSocket upgrades are refused without using up the per-address pre-auth budget", async () => {
  const home = await tempHome({
    gateway: { mode: "local", auth: { token: TOKEN }, limits: { maxPreAuthConnectionsPerIp: PER_IP } },
  });
  const { proc, port } = await startGateway({ home: home.home });
  try {
    const head = (lines: string[], method = "GET") =>
      `${method} / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n${lines.join("\r\n")}\r\n\r\n`;
    const malformed = [
      head(["Connection: Upgrade", "Sec-WebSocket-Version: 13"]), // no key
      head(["Connection: Upgrade", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"], "POST"),
      head(["Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"]), // no Connection: upgrade
      head(["Connection: Upgrade", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 8"]),
    ];
    for (let i = 0; i < 3 * PER_IP; i++) {
      const status = await statusOf(port, malformed[i % malformed.length]!);
      assert.match(status, /^HTTP\/1\.1 (400|426) /, `request ${i}: ${status}`);
    }
    const valid = head([
      "Connection: Upgrade",
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
      "Sec-WebSocket-Version: 13",
    ]);
    assert.match(await statusOf(port, valid), /^HTTP\/1\.1 101 /, "a real client still gets a pre-auth slot");
    assert.doesNotMatch(proc.stdout.join("\n") + proc.stderr.join("\n"), /request handler failed/);
  } finally {
    await proc.stop();
    await home.cleanup();
  }
});
