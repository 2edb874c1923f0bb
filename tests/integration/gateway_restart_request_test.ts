// The reference CLI restarts our gateway the way it restarts its own: `openclaw gateway restart --safe` asks
// `gateway.restart.request`, which waits for a run in progress, joins a second request and restarts in place once
// the run has ended; with an external supervisor, `openclaw gateway restart` names the process by the reference's
// gateway lock and waits until that lock has a new owner (before, both answered "unknown method"). A target that
// no longer holds the lock is refused; `gateway.restart.preflight` says what a restart would wait for. Under a host
// suspension (the reference CLI's `gateway suspend`) a safe restart is fenced, and only the restart aimed at this
// process crosses it, ending the suspension with the process it held.
import assert from "node:assert/strict";
import { resolveReferenceLockPaths } from "../../src/server/reference_lock.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { requirePeer, runPeer } from "../support/peer.ts";
import { referenceCliConfig } from "../support/reference_cli.ts";
import { connectReference } from "../support/reference_client.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "gateway-restart-token-0123456789abcdef";

/** Our gateway started as the binary names itself (`openclaw … gateway run`), with the reference CLI's config. */
async function restartableGateway() {
  const upstream = startFakeUpstream();
  const port = freePort();
  const home = await tempHome(referenceCliConfig({ port, token: TOKEN, upstreamUrl: upstream.url }));
  const started = await startGateway({ home: home.home, port, asOpenclaw: true }).catch(async (error) => {
    await upstream.stop();
    await home.cleanup();
    throw error;
  });
  return {
    port,
    proc: started.proc,
    upstream,
    where: { home: home.home, stateDir: home.stateDir, configPath: home.configPath },
    env: { OPENCLAW_GATEWAY_PORT: String(port) },
    stop: async () => {
      await started.proc.stop();
      await upstream.stop();
      await home.cleanup();
    },
  };
}

/** The reference's gateway lock of this state dir as the reference reads it: owner pid, owner id, port. */
async function referenceLock(where: { stateDir: string; configPath: string }) {
  const { stateLock } = await resolveReferenceLockPaths(where);
  const text = await Deno.readTextFile(stateLock).catch(() => undefined);
  return text === undefined ? undefined : JSON.parse(text) as { pid: number; ownerId: string; port: number };
}

Deno.test("the reference CLI's safe restart waits for a run in progress, joins a second request, then restarts ours", async () => {
  requirePeer();
  const gateway = await restartableGateway();
  const client = await connectReference({ port: gateway.port, token: TOKEN, scopes: ["operator.admin"] });
  const release = Promise.withResolvers<void>();
  try {
    gateway.upstream.script("m1", [{ text: "A long answer, held open.", hold: release.promise }]);
    const final = client.request<{ status: string }>("agent", {
      message: "take your time",
      sessionKey: "agent:main:main",
      idempotencyKey: crypto.randomUUID(),
    }, { expectFinal: true, timeoutMs: 30_000 });
    await until(() => gateway.upstream.requestsOf("m1").length === 1, "the run reached the model");

    const preflight = await runPeer(
      ["gateway", "call", "gateway.restart.preflight", "--json"],
      gateway.where,
      gateway.env,
    );
    assert.equal(preflight.code, 0, preflight.stdout + preflight.stderr);
    assert.deepEqual(JSON.parse(preflight.stdout), {
      safe: false,
      counts: {
        queueSize: 1,
        pendingReplies: 0,
        embeddedRuns: 1,
        cronRuns: 0,
        backgroundExecSessions: 0,
        rootRequests: 1,
        activeTasks: 0,
        totalActive: 3,
      },
      blockers: [
        { kind: "queue", count: 1, message: "1 queued or active operation(s)" },
        { kind: "embedded-run", count: 1, message: "1 active embedded run(s)" },
        { kind: "root-request", count: 1, message: "1 active gateway request(s): ws:agent" },
      ],
      summary:
        "restart deferred: 1 queued or active operation(s); 1 active embedded run(s); 1 active gateway request(s): ws:agent",
    });

    const deferred = await runPeer(["gateway", "restart", "--safe", "--json"], gateway.where, gateway.env);
    assert.equal(deferred.code, 0, deferred.stdout + deferred.stderr);
    const first = JSON.parse(deferred.stdout);
    assert.equal(first.result, "deferred");
    assert.equal(
      first.message,
      "safe restart requested; gateway will restart after active work drains (bounded wait; may force after the timeout expires)",
    );
    assert.equal(first.preflight.safe, false);
    assert.deepEqual(
      { ...first.restart },
      {
        ok: true,
        pid: gateway.proc.child.pid,
        signal: "SIGUSR2",
        mode: "emit",
        reason: "gateway.restart.safe",
        cooldownMsApplied: 0,
        delayMs: 0,
        coalesced: false,
        emitHooksQueued: false,
      },
    );
    await gateway.proc.waitForLine(/\[restart\] restart deferred until 3 active operation\(s\) finish/);

    const second = await runPeer(["gateway", "restart", "--safe"], gateway.where, gateway.env);
    assert.equal(second.code, 0, second.stdout + second.stderr);
    assert.match(second.stdout, /safe restart request joined an existing pending gateway restart/);
    assert.equal((await client.request<{ ok: boolean }>("health")).ok, true, "still serving while it waits");
    assert.ok(!gateway.proc.output.includes("restarting"), "nothing restarted while the run went on");

    release.resolve();
    assert.equal((await final).status, "ok", "the run finished, not cut off");
    await gateway.proc.waitForLine(/restarted in place \(gateway\.restart\.safe\)$/, 15_000);
    assert.equal(gateway.proc.output.match(/received gateway\.restart\.safe; restarting/g)?.length, 1, "one restart");
  } finally {
    release.resolve();
    client.stop();
    await gateway.stop();
  }
});

Deno.test("with an external supervisor the reference CLI restarts ours by its lock; a stale target is refused", async () => {
  requirePeer();
  const gateway = await restartableGateway();
  const external = { ...gateway.env, OPENCLAW_SUPERVISOR_MODE: "external" };
  try {
    const before = await referenceLock(gateway.where);
    assert.ok(before && before.pid === gateway.proc.child.pid && before.port === gateway.port);
    const client = await connectReference({ port: gateway.port, token: TOKEN, scopes: ["operator.admin"] });
    try {
      const features = client.hello.features as { methods: string[]; capabilities?: string[] };
      assert.ok(features.methods.includes("gateway.restart.request"));
      assert.ok(features.capabilities?.includes("gateway-restart-target-safe-v1"));
      await assert.rejects(
        client.request("gateway.restart.request", { target: { ...before, ownerId: "someone-else" } }),
        /target gateway no longer owns the active lock/,
      );
      await assert.rejects(
        client.request("gateway.restart.request", { target: { ...before, pid: "x" } }),
        /invalid targeted gateway restart$/,
      );
      await assert.rejects(
        client.request("gateway.restart.request", { target: before, restartIntent: { force: true, waitMs: 5 } }),
        /invalid targeted gateway restart intent/,
      );
    } finally {
      client.stop();
    }
    assert.ok(!gateway.proc.output.includes("restarting"), "the refused requests restarted nothing");

    const restarted = await runPeer(["gateway", "restart", "--json"], gateway.where, external);
    assert.equal(restarted.code, 0, restarted.stdout + restarted.stderr);
    assert.deepEqual(JSON.parse(restarted.stdout), {
      action: "restart",
      ok: true,
      result: "restarted",
      message:
        `Gateway restart request sent to externally supervised process on port ${gateway.port}: ${gateway.proc.child.pid}.`,
    });
    await gateway.proc.waitForLine(/restarted in place \(gateway\.restart\)$/);
    const after = await referenceLock(gateway.where);
    assert.ok(after, "the lock is held again after the restart");
    assert.equal(after.pid, gateway.proc.child.pid);
    assert.equal(after.port, gateway.port);
    assert.notEqual(after.ownerId, before.ownerId, "a new owner id: how the reference CLI saw the restart happen");

    // The old identity no longer names this gateway; the new one does, for a safe targeted restart too.
    const client2 = await connectReference({ port: gateway.port, token: TOKEN, scopes: ["operator.admin"] });
    try {
      await assert.rejects(
        client2.request("gateway.restart.request", {
          target: { pid: before.pid, ownerId: before.ownerId, port: before.port },
        }),
        /target gateway no longer owns the active lock/,
      );
    } finally {
      client2.stop();
    }
    const safe = await runPeer(["gateway", "restart", "--safe", "--json"], gateway.where, external);
    assert.equal(safe.code, 0, safe.stdout + safe.stderr);
    assert.equal(JSON.parse(safe.stdout).result, "scheduled");
    await gateway.proc.waitForLine(/received gateway\.restart\.safe; restarting/);
  } finally {
    await gateway.stop();
  }
});

Deno.test("a host suspension fences a safe restart; the restart aimed at this process crosses it and ends it", async () => {
  requirePeer();
  const gateway = await restartableGateway();
  const external = { ...gateway.env, OPENCLAW_SUPERVISOR_MODE: "external" };
  try {
    const suspended = await runPeer(["gateway", "suspend", "--json"], gateway.where, gateway.env);
    assert.equal(suspended.code, 0, suspended.stdout + suspended.stderr);
    assert.equal(JSON.parse(suspended.stdout).status, "ready");
    const safe = await runPeer(["gateway", "restart", "--safe", "--json"], gateway.where, gateway.env);
    assert.notEqual(safe.code, 0, "a safe restart waits for the host, as any other request");
    assert.match(safe.stdout + safe.stderr, /gateway\.restart\.request unavailable during gateway suspension/);

    const restarted = await runPeer(["gateway", "restart", "--json"], gateway.where, external);
    assert.equal(restarted.code, 0, restarted.stdout + restarted.stderr);
    assert.equal(JSON.parse(restarted.stdout).result, "restarted");
    await gateway.proc.waitForLine(/restarted in place \(gateway\.restart\)$/);
    // The restarted gateway accepts work again: the suspension ended with the process it held.
    const client = await connectReference({ port: gateway.port, token: TOKEN, scopes: ["operator.read"] });
    try {
      assert.deepEqual((client.hello.snapshot as { suspension: unknown }).suspension, { phase: "accepting" });
      assert.equal((await client.request<{ ok: boolean }>("health")).ok, true);
    } finally {
      client.stop();
    }
  } finally {
    await gateway.stop();
  }
});
