import assert from "node:assert/strict";
import { createHttpApp } from "../../src/http/app.ts";
import type { GatewayPhase } from "../../src/http/types.ts";
import { getLogger } from "../../src/log/logger.ts";

function app(phase: GatewayPhase, detailed = true) {
  return createHttpApp({
    log: getLogger("test"),
    probes: { phase: () => phase, uptimeMs: () => 42, version: "9.9.9", detailed: () => detailed },
  });
}

const local = { remoteAddr: "127.0.0.1" };

Deno.test("GET /healthz answers live with no auth and security headers", async () => {
  const res = await app("ready").request("/healthz", {}, local);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { ok: true, status: "live" });
  assert.equal(res.headers.get("cache-control"), "no-store");
  assert.equal(res.headers.get("x-content-type-options"), "nosniff");
  assert.equal(res.headers.get("referrer-policy"), "no-referrer");
});

Deno.test("GET /readyz is 503 while starting or draining, 200 when ready", async () => {
  assert.equal((await app("starting").request("/readyz", {}, local)).status, 503);
  const draining = await app("draining").request("/readyz", {}, local);
  assert.equal(draining.status, 503);
  assert.deepEqual(await draining.json(), { ready: false, failing: ["gateway-draining"], uptimeMs: 42 });
  const ready = await app("ready").request("/readyz", {}, local);
  assert.deepEqual(await ready.json(), { ready: true, failing: [], uptimeMs: 42 });
});

Deno.test("GET /readyz is 503 gateway-draining while a host suspension holds; /healthz stays live", async () => {
  let open = false;
  const suspended = createHttpApp({
    log: getLogger("test"),
    probes: {
      phase: () => "ready",
      uptimeMs: () => 42,
      version: "9.9.9",
      detailed: () => true,
      admissionOpen: () => open,
    },
  });
  const held = await suspended.request("/readyz", {}, local);
  assert.equal(held.status, 503);
  assert.deepEqual(await held.json(), { ready: false, failing: ["gateway-draining"], uptimeMs: 42 });
  assert.equal((await suspended.request("/healthz", {}, local)).status, 200);
  open = true;
  assert.equal((await suspended.request("/readyz", {}, local)).status, 200, "ready again once resumed");
});

Deno.test("GET /readyz hides details from remote unauthenticated callers", async () => {
  const res = await app("ready", false).request("/readyz", {}, { remoteAddr: "203.0.113.5" });
  assert.deepEqual(await res.json(), { ready: true });
});

Deno.test("POST /healthz is 405 with Allow: GET, HEAD", async () => {
  const res = await app("ready").request("/healthz", { method: "POST" }, local);
  assert.equal(res.status, 405);
  assert.equal(res.headers.get("allow"), "GET, HEAD");
});

Deno.test("HEAD /healthz has the status and no body", async () => {
  const res = await app("ready").request("/healthz", { method: "HEAD" }, local);
  assert.equal(res.status, 200);
  assert.equal(await res.text(), "");
});

Deno.test("unknown paths get a plain-text 404", async () => {
  const res = await app("ready").request("/nope", {}, local);
  assert.equal(res.status, 404);
  assert.equal(await res.text(), "Not Found");
  assert.equal(res.headers.get("x-content-type-options"), "nosniff");
});

Deno.test("GET /startupz says started only when ready, with version and uptime for local callers", async () => {
  const starting = await app("starting").request("/startupz", {}, local);
  assert.equal(starting.status, 503);
  assert.deepEqual(await starting.json(), { ok: false, status: "starting", version: "9.9.9", uptimeMs: 42 });
  const ready = await app("ready").request("/startupz", {}, local);
  assert.equal(ready.status, 200);
  assert.deepEqual(await ready.json(), { ok: true, status: "started", version: "9.9.9", uptimeMs: 42 });
  const remote = await app("ready", false).request("/startupz", {}, { remoteAddr: "203.0.113.5" });
  assert.deepEqual(await remote.json(), { ok: true, status: "started" });
});

Deno.test("/health, /ready and /startup answer as their z-named twins", async () => {
  for (const [alias, twin] of [["/health", "/healthz"], ["/ready", "/readyz"], ["/startup", "/startupz"]] as const) {
    for (const phase of ["starting", "ready", "draining"] as const) {
      const a = await app(phase).request(alias, {}, local);
      const b = await app(phase).request(twin, {}, local);
      assert.equal(a.status, b.status, `${alias} ${phase}`);
      assert.deepEqual(await a.json(), await b.json(), `${alias} ${phase}`);
    }
  }
});
