import assert from "node:assert/strict";
import { AuthRateLimiter } from "../../src/auth/rate_limit.ts";
import { createHttpApp } from "../../src/http/app.ts";
import { joinShortcodeOfPath } from "../../src/http/device_join.ts";
import { getLogger } from "../../src/log/logger.ts";

const CODE = "99NhKtqTPK5xPVnoEcbCNA";
const PAYLOAD = { url: "ws://127.0.0.1:18789", bootstrapToken: "tok", expiresAtMs: 2_000_000_000_000 };

function app(policy = { maxAttempts: 10, windowMs: 60_000, lockoutMs: 300_000, exemptLoopback: true }) {
  const live = new Set([CODE]);
  return createHttpApp({
    log: getLogger("test"),
    probes: { phase: () => "ready", uptimeMs: () => 1, version: "test", detailed: () => false },
    deviceJoin: {
      redeem: (shortcode) => Promise.resolve(live.delete(shortcode) ? PAYLOAD : undefined),
      limiter: new AuthRateLimiter(policy),
    },
  });
}

function get(served: ReturnType<typeof app>, path: string, method = "GET") {
  return served.request(`http://127.0.0.1${path}`, { method }, { remoteAddr: "127.0.0.1" });
}

Deno.test("GET /j/<shortcode> hands out the payload once, then 404 not_found, never cached", async () => {
  const served = app();
  const first = await get(served, `/j/${CODE}`);
  assert.equal(first.status, 200);
  assert.equal(first.headers.get("content-type"), "application/json; charset=utf-8");
  assert.equal(first.headers.get("cache-control"), "no-store");
  assert.equal(first.headers.get("x-content-type-options"), "nosniff");
  assert.equal(await first.text(), JSON.stringify(PAYLOAD));
  const again = await get(served, `/j/${CODE}`);
  assert.deepEqual([again.status, await again.json()], [404, { error: "not_found" }]);
  assert.equal(again.headers.get("cache-control"), "no-store");
});

Deno.test("a join request with a query or another method is not found, and the shortcode survives it", async () => {
  const served = app();
  assert.equal((await get(served, `/j/${CODE}?x=1`)).status, 404);
  assert.equal((await get(served, `/j/${CODE}`, "POST")).status, 404);
  assert.equal((await get(served, `/j/${CODE}`)).status, 200);
});

Deno.test("guessing join codes locks the address out with 429, loopback included", async () => {
  const served = app({ maxAttempts: 2, windowMs: 60_000, lockoutMs: 30_000, exemptLoopback: true });
  assert.equal((await get(served, "/j/AAAAAAAAAAAAAAAAAAAAAA")).status, 404);
  assert.equal((await get(served, "/j/BBBBBBBBBBBBBBBBBBBBBB")).status, 404);
  const locked = await get(served, `/j/${CODE}`);
  assert.deepEqual([locked.status, await locked.json()], [429, { error: "rate_limited" }]);
  assert.equal(locked.headers.get("retry-after"), "30");
  assert.equal(locked.headers.get("cache-control"), "no-store");
});

Deno.test("guesses sent in parallel are limited too, and a percent-encoded /j is no join path", async () => {
  const served = app({ maxAttempts: 3, windowMs: 60_000, lockoutMs: 30_000, exemptLoopback: true });
  const statuses = await Promise.all(
    Array.from(
      { length: 20 },
      (_, i) => Promise.resolve(get(served, `/j/${String(i).padStart(22, "A")}`)).then((r) => r.status),
    ),
  );
  assert.equal(statuses.filter((status) => status === 404).length, 3, statuses.join(","));
  assert.equal(statuses.filter((status) => status === 429).length, 17);
  const encoded = await get(app(), `/%6A/${CODE}`);
  assert.notEqual(encoded.status, 200, "not served as a join path");
});

Deno.test("joinShortcodeOfPath() claims paths ending in /j or holding /j/, as the reference does", () => {
  assert.equal(joinShortcodeOfPath(`/j/${CODE}`), CODE);
  assert.equal(joinShortcodeOfPath(`/base/j/${CODE}`), CODE);
  assert.equal(joinShortcodeOfPath("/j"), "");
  assert.equal(joinShortcodeOfPath("/j/"), "");
  assert.equal(joinShortcodeOfPath("/jobs"), undefined);
  assert.equal(joinShortcodeOfPath("/healthz"), undefined);
});
