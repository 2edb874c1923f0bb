import assert from "node:assert/strict";
import {
  attributeRequest,
  directLoopback,
  proxyAttributionRequired,
  warningDue,
} from "../../src/auth/proxy_attribution.ts";

Deno.test("proxyAttributionRequired() is the reference's 403 with its message and type", async () => {
  const response = proxyAttributionRequired();
  assert.equal(response.status, 403);
  const body = await response.json();
  assert.equal(body.error.type, "proxy_attribution_required");
  assert.match(body.error.message, /^Proxy client attribution is required\. Configure gateway\.trustedProxies/);
});

Deno.test("directLoopback() holds only for a loopback peer without proxy headers", () => {
  assert.equal(directLoopback(new Headers(), "127.0.0.1"), true);
  assert.equal(directLoopback(new Headers(), "::1"), true);
  assert.equal(directLoopback(new Headers(), "203.0.113.9"), false);
  for (const header of ["forwarded", "x-forwarded-for", "x-real-ip"]) {
    assert.equal(directLoopback(new Headers({ [header]: "203.0.113.9" }), "127.0.0.1"), false, header);
  }
});

Deno.test("warningDue() warns a source once a minute and forgets everyone past 1000 sources", () => {
  const warnedAt = new Map<string, number>();
  assert.equal(warningDue(warnedAt, "10.0.0.1", 100_000), true);
  assert.equal(warningDue(warnedAt, "10.0.0.1", 160_000), false);
  assert.equal(warningDue(warnedAt, "10.0.0.2", 160_000), true);
  assert.equal(warningDue(warnedAt, "10.0.0.1", 160_001), true);
  for (let i = 0; i < 1001; i++) warnedAt.set(`192.0.2.${i}`, 160_000);
  assert.equal(warningDue(warnedAt, "10.0.0.3", 160_000), true);
  assert.deepEqual([...warnedAt.keys()], ["10.0.0.3"]);
});

Deno.test("attributeRequest() answers the client address, or undefined with one warning per source", () => {
  const warnings: string[] = [];
  const warnedAt = new Map<string, number>();
  const attribute = (headers: HeadersInit, remoteAddr: string, trustedProxies: string[] = []) =>
    attributeRequest({
      headers: new Headers(headers),
      remoteAddr,
      trustedProxies,
      allowRealIpFallback: false,
      warnedAt,
      warn: (message) => warnings.push(message),
    });
  assert.equal(attribute({}, "203.0.113.9"), "203.0.113.9");
  assert.equal(attribute({ "x-forwarded-for": "198.51.100.7" }, "10.0.0.1", ["10.0.0.0/8"]), "198.51.100.7");
  assert.equal(attribute({ "x-forwarded-for": "198.51.100.7" }, "127.0.0.1"), undefined);
  assert.equal(attribute({ "x-forwarded-for": "198.51.100.8" }, "127.0.0.1"), undefined);
  assert.deepEqual(warnings, [
    "observed unattributable proxy-shaped traffic from 127.0.0.1; configure gateway.trustedProxies narrowly to allow it",
  ]);
});
