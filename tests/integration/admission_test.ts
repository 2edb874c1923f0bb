import assert from "node:assert/strict";
import { startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "admission-token-0123456789abcdef";

/** Sends a raw WebSocket upgrade (a browser's Origin included) and returns the status line. */
async function upgradeStatus(port: number, headers: Record<string, string>): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const lines = [
      "GET / HTTP/1.1",
      `Host: 127.0.0.1:${port}`,
      "Upgrade: websocket",
      "Connection: Upgrade",
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
      "Sec-WebSocket-Version: 13",
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      "",
      "",
    ];
    await conn.write(new TextEncoder().encode(lines.join("\r\n")));
    const buffer = new Uint8Array(512);
    const n = await conn.read(buffer);
    return new TextDecoder().decode(buffer.subarray(0, n ?? 0)).split("\r\n")[0]!;
  } finally {
    conn.close();
  }
}

Deno.test("admission: proxy headers from an untrusted source are refused; liveness still answers", async () => {
  const home = await tempHome({ gateway: { mode: "local", auth: { token: TOKEN } } });
  const { proc, port } = await startGateway({ home: home.home });
  try {
    const proxied = await fetch(`http://127.0.0.1:${port}/readyz`, { headers: { "x-forwarded-for": "203.0.113.9" } });
    assert.equal(proxied.status, 403);
    assert.equal((await proxied.json()).error.type, "proxy_attribution_required");
    const live = await fetch(`http://127.0.0.1:${port}/healthz`, { headers: { "x-forwarded-for": "203.0.113.9" } });
    assert.equal(live.status, 200);
    await live.body?.cancel();
    assert.equal(await upgradeStatus(port, { "X-Forwarded-For": "203.0.113.9" }), "HTTP/1.1 403 Forbidden");
    await proc.waitForLine(/observed unattributable proxy-shaped traffic from 127\.0\.0\.1/);
    for (let i = 0; i < 20; i++) {
      (await fetch(`http://127.0.0.1:${port}/readyz`, { headers: { "x-forwarded-for": "203.0.113.9" } })).body
        ?.cancel();
    }
    // A barrier the gateway logs after those requests (its output is in order): a refused origin.
    assert.equal(await upgradeStatus(port, { Origin: "http://barrier.example" }), "HTTP/1.1 403 Forbidden");
    await proc.waitForLine(/refused WebSocket from origin http:\/\/barrier\.example/);
    assert.equal(
      proc.output.split("observed unattributable proxy-shaped traffic").length - 1,
      1,
      "warned once, not per request",
    );
  } finally {
    assert.equal(await proc.stop(), 0);
    await home.cleanup();
  }
});

Deno.test("admission: a trusted proxy's client is the forwarded address (no loopback details)", async () => {
  const home = await tempHome({ gateway: { mode: "local", auth: { token: TOKEN }, trustedProxies: ["127.0.0.1"] } });
  const { proc, port } = await startGateway({ home: home.home });
  try {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`, { headers: { "x-forwarded-for": "203.0.113.9" } });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { ready: true }, "a remote client behind the proxy gets no details");
  } finally {
    assert.equal(await proc.stop(), 0);
    await home.cleanup();
  }
});

Deno.test("admission: a WebSocket from another site's page is refused; same origin and listed origins pass", async () => {
  const home = await tempHome({
    gateway: { mode: "local", auth: { token: TOKEN }, controlUi: { allowedOrigins: ["https://ui.example"] } },
  });
  const { proc, port } = await startGateway({ home: home.home });
  try {
    assert.equal(await upgradeStatus(port, { Origin: "https://evil.example" }), "HTTP/1.1 403 Forbidden");
    assert.equal(await upgradeStatus(port, { Origin: `http://127.0.0.1:${port}` }), "HTTP/1.1 101 Switching Protocols");
    assert.equal(await upgradeStatus(port, { Origin: "https://ui.example" }), "HTTP/1.1 101 Switching Protocols");
    assert.equal(
      await upgradeStatus(port, {}),
      "HTTP/1.1 101 Switching Protocols",
      "non-browser clients send no Origin",
    );
  } finally {
    assert.equal(await proc.stop(), 0);
    await home.cleanup();
  }
});
