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

Deno.test("connection limits: the cap follows the open-file limit; the per-address budget reads the reference's env", () => {
  const paths = resolvePaths({ env: { HOME: "/h" } });
  const resolve = (openFilesLimit: number | undefined, env = {}, limits = {}) =>
    resolveGatewayConfig({
      paths,
      config: { gateway: { limits } },
      env,
      host: { inContainer: false, tailnetAddress: undefined, openFilesLimit },
    }).limits;
  assert.equal(resolve(1024).maxConnections, 960, "1024 open files leave 960 for connections");
  assert.equal(resolve(1_000_000).maxConnections, 8192);
  assert.equal(resolve(undefined).maxConnections, 8192);
  assert.equal(resolve(1024, {}, { maxConnections: 50 }).maxConnections, 50);
  assert.equal(resolve(1024).maxPreAuthConnectionsPerIp, 32);
  assert.equal(resolve(1024, { OPENCLAW_MAX_PREAUTH_CONNECTIONS_PER_IP: "4" }).maxPreAuthConnectionsPerIp, 4);
  assert.deepEqual(
    [resolve(1024).headersTimeoutMs, resolve(1024).keepAliveTimeoutMs, resolve(1024).closeTimeoutMs],
    [5000, 5000, 3000],
  );
});
