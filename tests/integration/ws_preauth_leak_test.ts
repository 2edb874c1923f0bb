// The pre-auth budget survives malformed upgrades: each is refused by the HTTP layer (400/426)
// before the gateway takes a slot, so they cannot lock an address out of WebSocket.
import assert from "node:assert/strict";
import { startGateway, tempHome } from "../support/spawn_gateway.ts";
import { rawResponseHead } from "../support/raw_socket.ts";

const TOKEN = "preauth-leak-token-0123456789abcdef";
const PER_IP = 4;

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
      const status = (await rawResponseHead(port, malformed[i % malformed.length]!)).split("\r\n")[0]!;
      assert.match(status, /^HTTP\/1\.1 (400|426) /, `request ${i}: ${status}`);
    }
    const valid = head([
      "Connection: Upgrade",
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
      "Sec-WebSocket-Version: 13",
    ]);
    assert.match(
      (await rawResponseHead(port, valid)).split("\r\n")[0]!,
      /^HTTP\/1\.1 101 /,
      "a real client still gets a pre-auth slot",
    );
    assert.doesNotMatch(proc.stdout.join("\n") + proc.stderr.join("\n"), /request handler failed/);
  } finally {
    await proc.stop();
    await home.cleanup();
  }
});
