import assert from "node:assert/strict";
import { RpcError } from "../../../src/rpc/errors.ts";
import { gatewayRestartMethods } from "../../../src/rpc/methods/gateway_restart.ts";
import { restartPreflight } from "../../../src/rpc/restart_preflight.ts";
import { RestartScheduler } from "../../../src/rpc/restart_scheduler.ts";
import { NO_ACTIVE_WORK } from "../../support/no_active_work.ts";

const LOCK = { pid: 4242, ownerId: "owner-1", port: 18789 };

/** The two methods over a real scheduler; deliveries are recorded, the lock and the work are the test's. */
function setup() {
  const delivered: string[] = [];
  const work = { embeddedRuns: 0 };
  const scheduler = new RestartScheduler({
    pid: LOCK.pid,
    pending: () => work.embeddedRuns,
    deliver: (reason) => delivered.push(reason),
    info: () => {},
    warn: () => {},
  });
  const methods = gatewayRestartMethods({
    scheduler,
    preflight: () => restartPreflight({ ...NO_ACTIVE_WORK, embeddedRuns: work.embeddedRuns }, []),
    lockIdentity: () => LOCK,
    pid: LOCK.pid,
  });
  const call = (method: string, params: unknown) =>
    methods[method]!.handler({
      params,
      caller: { role: "operator" } as never,
      accept: () => {},
      afterResponse: () => {},
    });
  return { delivered, work, scheduler, call };
}

Deno.test("gateway.restart.request: a safe restart says scheduled or deferred from the preflight it read", async () => {
  const { work, scheduler, call } = setup();
  work.embeddedRuns = 1;
  const deferred = await call("gateway.restart.request", { reason: "gateway.restart.safe" }) as Record<string, unknown>;
  assert.equal(deferred.status, "deferred");
  assert.equal((deferred.preflight as { safe: boolean }).safe, false);
  const joined = await call("gateway.restart.request", {}) as Record<string, unknown>;
  assert.equal(joined.status, "coalesced");
  scheduler.stop();
  const idle = setup();
  const scheduled = await idle.call("gateway.restart.request", { skipDeferral: true }) as Record<string, unknown>;
  assert.equal(scheduled.status, "scheduled");
  assert.equal((scheduled.restart as { reason: string }).reason, "gateway.restart.safe");
  idle.scheduler.stop();
});

Deno.test("gateway.restart.request: a target must be this process's lock; a stopping gateway refuses", async () => {
  const { scheduler, call } = setup();
  for (const target of [{ ...LOCK, ownerId: "other" }, { ...LOCK, pid: 1 }, { ...LOCK, port: 1 }]) {
    await assert.rejects(
      Promise.resolve().then(() => call("gateway.restart.request", { target })),
      (error: RpcError) =>
        error.code === "INVALID_REQUEST" && error.message === "target gateway no longer owns the active lock",
    );
  }
  assert.deepEqual(await call("gateway.restart.request", { target: LOCK }), { ok: true, status: "emitted", pid: 4242 });
  assert.deepEqual(await call("gateway.restart.request", { target: LOCK }), {
    ok: true,
    status: "coalesced",
    pid: 4242,
  });
  scheduler.stop();
  await assert.rejects(
    Promise.resolve().then(() => call("gateway.restart.request", {})),
    (error: RpcError) =>
      error.code === "UNAVAILABLE" && error.message === "gateway restart unavailable: the gateway is stopping",
  );
});
