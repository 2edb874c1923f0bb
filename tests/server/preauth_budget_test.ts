import assert from "node:assert/strict";
import { resolvePaths } from "../../src/config/paths.ts";
import { resolveGatewayConfig } from "../../src/config/resolve.ts";
import { PreAuthBudget } from "../../src/server/preauth_budget.ts";

Deno.test("PreAuthBudget caps unauthenticated sockets per address and in total; release is idempotent", () => {
  const budget = new PreAuthBudget({ total: 3, perAddress: 2 });
  const a1 = budget.acquire("10.0.0.1")!;
  const a2 = budget.acquire("10.0.0.1")!;
  assert.equal(budget.acquire("10.0.0.1"), undefined, "third from one address");
  const b1 = budget.acquire("10.0.0.2")!;
  assert.equal(budget.acquire("10.0.0.3"), undefined, "total reached");
  a1();
  a1();
  assert.equal(budget.total, 2, "a second release gives nothing back");
  assert.ok(budget.acquire("10.0.0.1"));
  a2();
  b1();
});

Deno.test("connection limits: defaults, config keys, and the reference's env for the per-address budget", () => {
  const paths = resolvePaths({ env: { HOME: "/h" } });
  const resolve = (env = {}, limits = {}) =>
    resolveGatewayConfig({ paths, config: { gateway: { limits } }, env }).limits;
  assert.deepEqual(resolve(), {
    maxConnections: 8192,
    maxPreAuthConnections: 256,
    maxPreAuthConnectionsPerIp: 32,
    headersTimeoutMs: 5000,
    keepAliveTimeoutMs: 5000,
    closeTimeoutMs: 3000,
    sendTimeoutMs: 30_000,
    webSocketIdleMs: 60_000,
  });
  assert.equal(resolve({}, { maxConnections: 50 }).maxConnections, 50);
  assert.equal(resolve({ OPENCLAW_MAX_PREAUTH_CONNECTIONS_PER_IP: "4" }).maxPreAuthConnectionsPerIp, 4);
  assert.equal(
    resolve({ OPENCLAW_MAX_PREAUTH_CONNECTIONS_PER_IP: "4" }, { maxPreAuthConnectionsPerIp: 9 })
      .maxPreAuthConnectionsPerIp,
    9,
    "the config key outranks the env",
  );
});
