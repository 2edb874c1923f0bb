import assert from "node:assert/strict";
import { attributeClient, ipInCidr } from "../../src/auth/proxy_trust.ts";
import { originAllowed } from "../../src/auth/origin_check.ts";

Deno.test("ipInCidr() matches IPv4 and IPv6 ranges and bare addresses", () => {
  assert.equal(ipInCidr("10.1.2.3", "10.0.0.0/8"), true);
  assert.equal(ipInCidr("11.1.2.3", "10.0.0.0/8"), false);
  assert.equal(ipInCidr("127.0.0.1", "127.0.0.1"), true);
  assert.equal(ipInCidr("::ffff:127.0.0.1", "127.0.0.0/8"), true);
  assert.equal(ipInCidr("fd00::5", "fd00::/8"), true);
  assert.equal(ipInCidr("fe80::1", "fd00::/8"), false);
  assert.equal(ipInCidr("::1", "::1"), true);
  assert.equal(ipInCidr("nonsense", "10.0.0.0/8"), false);
});

Deno.test("attributeClient() refuses proxy headers from an untrusted source, loopback included", () => {
  const headers = new Headers({ "x-forwarded-for": "203.0.113.9" });
  assert.deepEqual(
    attributeClient({ headers, remoteAddr: "127.0.0.1", trustedProxies: [], allowRealIpFallback: false }),
    {
      ok: false,
    },
  );
  assert.deepEqual(
    attributeClient({
      headers: new Headers(),
      remoteAddr: "127.0.0.1",
      trustedProxies: [],
      allowRealIpFallback: false,
    }),
    { ok: true, address: "127.0.0.1", viaProxy: false },
  );
});

Deno.test("attributeClient() takes the right-most untrusted hop from a trusted proxy", () => {
  const headers = new Headers({ "x-forwarded-for": "198.51.100.7, 203.0.113.9, 10.0.0.2" });
  assert.deepEqual(
    attributeClient({
      headers,
      remoteAddr: "127.0.0.1",
      trustedProxies: ["127.0.0.1", "10.0.0.0/8"],
      allowRealIpFallback: false,
    }),
    { ok: true, address: "203.0.113.9", viaProxy: true },
  );
});

Deno.test("originAllowed() admits no-Origin clients, same-origin pages and listed origins only", () => {
  assert.equal(originAllowed({ origin: null, host: "127.0.0.1:18789", allowedOrigins: [] }), true);
  assert.equal(originAllowed({ origin: "http://127.0.0.1:18789", host: "127.0.0.1:18789", allowedOrigins: [] }), true);
  assert.equal(originAllowed({ origin: "https://evil.example", host: "127.0.0.1:18789", allowedOrigins: [] }), false);
  assert.equal(
    originAllowed({ origin: "https://ui.example", host: "127.0.0.1:18789", allowedOrigins: ["https://ui.example/"] }),
    true,
  );
  assert.equal(originAllowed({ origin: "null", host: "127.0.0.1:18789", allowedOrigins: [] }), false);
});

Deno.test("originAllowed() refuses a DNS-rebinding page whose Origin and Host match a foreign name", () => {
  assert.equal(
    originAllowed({ origin: "http://evil.example:18789", host: "evil.example:18789", allowedOrigins: [] }),
    false,
  );
  assert.equal(originAllowed({ origin: "http://localhost:18789", host: "localhost:18789", allowedOrigins: [] }), true);
  assert.equal(originAllowed({ origin: "http://[::1]:18789", host: "[::1]:18789", allowedOrigins: [] }), true);
  assert.equal(
    originAllowed({
      origin: "http://box.tail1234.ts.net:18789",
      host: "box.tail1234.ts.net:18789",
      allowedOrigins: [],
    }),
    true,
  );
  assert.equal(
    originAllowed({ origin: "https://gw.example", host: "gw.example", allowedOrigins: ["https://gw.example"] }),
    true,
    "a name behind a proxy is trusted once listed",
  );
});
