// The reference OpenClaw 2026.9.6's own CLI, pointed at a state dir and gateway of ours, sees what
// we wrote where it keeps it: the tasks of our agent runs, our DM pairing requests, our paired
// devices and nodes; and its `nodes invoke` reaches a node (the reference client library) through us.
import assert from "node:assert/strict";
import { newTestDevice } from "../support/device_keys.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { runPeer } from "../support/peer.ts";
import { connectReference, type ReferenceSession } from "../support/reference_client.ts";
import { startGateway, tempHome } from "../support/spawn_gateway.ts";
import { PairingStore } from "../../src/state/pairing_store.ts";

const TOKEN = "reference-reads-token-0123456789";

Deno.test("the reference CLI lists our tasks, DM pairing and devices, and invokes a node through our gateway", async () => {
  const upstream = startFakeUpstream();
  const home = await tempHome({
    gateway: { mode: "local", auth: { token: TOKEN } },
    // Models as objects: the reference CLI cannot read the string shorthand this gateway also accepts.
    models: {
      providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: [{ id: "m1", name: "m1" }] } },
    },
    agents: { defaults: { model: { primary: "fake/m1" } } },
  });
  const { proc, port } = await startGateway({ home: home.home });
  const peerHome = { home: home.home, stateDir: home.stateDir, configPath: home.configPath };
  const url = ["--url", `ws://127.0.0.1:${port}`, "--token", TOKEN];
  const peer = async (...args: string[]) => {
    const result = await runPeer(args, peerHome);
    assert.equal(result.code, 0, `openclaw ${args.join(" ")}: ${result.stderr}`);
    return result.stdout;
  };
  const sessions: ReferenceSession[] = [];
  const pairing = new PairingStore(home.stateDir);
  try {
    const operator = await connectReference({ port, token: TOKEN });
    sessions.push(operator);
    const final = await operator.request<{ status: string }>("agent", {
      message: "task for the reference",
      sessionKey: "agent:main:main",
      idempotencyKey: "ref-task-1",
    }, { expectFinal: true });
    assert.equal(final.status, "ok");
    const { code } = await pairing.upsert("telegram", { id: "4242", accountId: "default", meta: { username: "ann" } });

    const device = newTestDevice();
    const node = await connectReference({
      port,
      token: TOKEN,
      role: "node",
      mode: "node",
      clientName: "node-host",
      displayName: "ref-node",
      scopes: [],
      commands: ["echo.test"],
      deviceIdentity: device.deviceIdentity,
      hostDeps: device.hostDeps,
    });
    sessions.push(node);
    const requested = await operator.waitForEvent("node.pair.requested");
    await operator.request("node.pair.approve", { requestId: (requested.payload as { requestId: string }).requestId });

    // `tasks list` and `pairing list` read the state database directly.
    const tasks = JSON.parse(await peer("tasks", "list", "--json")) as { tasks: Record<string, unknown>[] };
    const task = tasks.tasks.find((t) => t.runId === "ref-task-1");
    assert.ok(task, JSON.stringify(tasks));
    assert.deepEqual([task.runtime, task.status, task.task], ["cli", "succeeded", "task for the reference"]);
    const dm = JSON.parse(await peer("pairing", "list", "--channel", "telegram", "--json")) as {
      requests: { id: string; code: string }[];
    };
    assert.deepEqual(dm.requests.map((r) => [r.id, r.code]), [["4242", code]]);

    const devices = JSON.parse(await peer("devices", "list", "--json", ...url)) as {
      paired: { deviceId: string; roles: string[] }[];
    };
    assert.deepEqual(
      devices.paired.filter((d) => d.deviceId === device.deviceIdentity.deviceId).map((d) => d.roles),
      [["node"]],
    );

    // The node answers what the reference CLI asks through our gateway.
    void node.waitForEvent("node.invoke.request").then((request) => {
      const invoke = request.payload as { id: string; nodeId: string; paramsJSON: string };
      return node.request("node.invoke.result", {
        id: invoke.id,
        nodeId: invoke.nodeId,
        ok: true,
        payload: { echoed: JSON.parse(invoke.paramsJSON) },
      });
    });
    const invoked = JSON.parse(
      await peer(
        "nodes",
        "invoke",
        "--node",
        device.deviceIdentity.deviceId,
        "--command",
        "echo.test",
        "--params",
        '{"a":1}',
        ...url,
      ),
    ) as { ok: boolean; payload: unknown };
    assert.deepEqual([invoked.ok, invoked.payload], [true, { echoed: { a: 1 } }]);
  } finally {
    for (const session of sessions) session.stop();
    await pairing.close();
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
