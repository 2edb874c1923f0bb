// A node (the reference client library acting as a phone/Mac/headless node) pairs with the real
// program, advertises its commands, and answers node.invoke relayed from an operator.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { newTestDevice } from "../support/device_keys.ts";
import { connectReference, type ReferenceSession } from "../support/reference_client.ts";
import { startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "nodes-test-token-0123456789";

interface NodeEntry {
  nodeId: string;
  approvalState: string;
  commands: string[];
  connected: boolean;
  pendingRequestId?: string;
}

Deno.test("a node pairs, advertises its commands once approved, and answers node.invoke relayed by the gateway", async () => {
  const home = await tempHome({ gateway: { mode: "local", auth: { mode: "token", token: TOKEN } } });
  const { proc, port } = await startGateway({ home: home.home });
  const sessions: ReferenceSession[] = [];
  try {
    const operator = await connectReference({ port, token: TOKEN });
    sessions.push(operator);
    const device = newTestDevice();
    const nodeId = device.deviceIdentity.deviceId;
    const node = await connectReference({
      port,
      token: TOKEN,
      role: "node",
      mode: "node",
      clientName: "node-host",
      displayName: "test-node",
      scopes: [],
      caps: ["system"],
      commands: ["echo.test"],
      permissions: { camera: false },
      deviceIdentity: device.deviceIdentity,
      hostDeps: device.hostDeps,
    });
    sessions.push(node);
    const auth = node.hello.auth as { role: string; scopes: string[] };
    assert.equal(auth.role, "node");
    assert.deepEqual(auth.scopes, []);
    assert.ok(device.tokens.get("node")?.token, "a node device token was issued on direct loopback");

    const requested = await operator.waitForEvent("node.pair.requested");
    assert.deepEqual((requested.payload as { nodeId: string; commands: string[] }).commands, ["echo.test"]);
    const listed = await operator.request<{ nodes: NodeEntry[] }>("node.list");
    const entry = listed.nodes.find((n) => n.nodeId === nodeId);
    assert.ok(entry, JSON.stringify(listed));
    assert.equal(entry.connected, true);
    assert.equal(entry.approvalState, "pending-approval");
    assert.deepEqual(entry.commands, [], "nothing is invokable before the surface is approved");

    const pending = await operator.request<{ pending: { requestId: string; commands: string[] }[] }>("node.pair.list");
    assert.deepEqual(pending.pending.map((p) => p.commands), [["echo.test"]]);
    await operator.request("node.pair.approve", { requestId: pending.pending[0]!.requestId });
    const resolved = await operator.waitForEvent("node.pair.resolved");
    assert.equal((resolved.payload as { decision: string }).decision, "approved");
    const told = await node.waitForEvent("node.pair.resolved");
    assert.equal((told.payload as { nodeId: string }).nodeId, nodeId, "the node hears its own approval");
    const described = await operator.request<NodeEntry>("node.describe", { nodeId });
    assert.deepEqual(described.commands, ["echo.test"]);

    const answer = operator.request<{ ok: boolean; payload: unknown; command: string }>("node.invoke", {
      nodeId,
      command: "echo.test",
      params: { text: "hello" },
      idempotencyKey: "inv-1",
      timeoutMs: 10_000,
    });
    const request = await node.waitForEvent("node.invoke.request");
    const invoke = request.payload as { id: string; nodeId: string; command: string; paramsJSON: string };
    assert.equal(invoke.command, "echo.test");
    assert.deepEqual(JSON.parse(invoke.paramsJSON), { text: "hello" });
    await node.request("node.invoke.result", {
      id: invoke.id,
      nodeId,
      ok: true,
      payload: { echoed: JSON.parse(invoke.paramsJSON).text },
    });
    const result = await answer;
    assert.equal(result.ok, true);
    assert.deepEqual(result.payload, { echoed: "hello" });

    // A node that does not answer in time: the operator hears the reference's timeout.
    await assert.rejects(
      operator.request("node.invoke", { nodeId, command: "echo.test", idempotencyKey: "inv-2", timeoutMs: 300 }),
      /node invoke timed out/,
    );
    // Node methods belong to nodes, operator methods to operators.
    await assert.rejects(operator.request("node.event", { event: "x" }), /unauthorized role: operator/);
    await assert.rejects(node.request("node.list"), /unauthorized role: node/);

    // The pairing lives where the reference keeps it.
    const db = new DatabaseSync(`${home.stateDir}/state/openclaw.sqlite`, { readOnly: true });
    const row = db.prepare(
      "SELECT roles_json, node_surface_json, tokens_json FROM device_pairing_paired WHERE device_id = ?",
    )
      .get(nodeId) as Record<string, string>;
    db.close();
    assert.deepEqual(JSON.parse(row.roles_json!), ["node"]);
    assert.deepEqual(JSON.parse(row.node_surface_json!).commands, ["echo.test"]);
    assert.equal(JSON.parse(row.tokens_json!).node.token, device.tokens.get("node")?.token);

    // A node that holds only its device token (no shared secret) reconnects with it, as the
    // reference client sends it: in auth.token and auth.deviceToken alike.
    const tokenOnly = await connectReference({
      port,
      role: "node",
      mode: "node",
      clientName: "node-host",
      scopes: [],
      commands: ["echo.test"],
      caps: ["system"],
      permissions: { camera: false },
      deviceIdentity: device.deviceIdentity,
      hostDeps: device.hostDeps,
    });
    sessions.push(tokenOnly);
    assert.equal((tokenOnly.hello.auth as { method: string }).method, "device-token");
    tokenOnly.stop();

    // Removing the node closes its connection.
    await operator.request("node.pair.remove", { nodeId });
    await until(() => node.closes.length > 0, "the removed node to be disconnected");
    node.stop(); // before its client reconnects (and, on loopback, pairs again)
    const after = await operator.request<{ nodes: NodeEntry[] }>("node.list");
    assert.equal(after.nodes.find((n) => n.nodeId === nodeId), undefined);
  } finally {
    for (const session of sessions) session.stop();
    await proc.stop();
    await home.cleanup();
  }
});

Deno.test("under auth mode none a node still pairs: its surface is filed, approved and invoked; dangerous commands wait for config", async () => {
  const home = await tempHome({ gateway: { mode: "local", auth: { mode: "none" } } });
  const { proc, port } = await startGateway({ home: home.home });
  const sessions: ReferenceSession[] = [];
  try {
    const operator = await connectReference({ port, scopes: ["operator.admin", "operator.pairing"] });
    sessions.push(operator);
    const device = newTestDevice();
    const nodeId = device.deviceIdentity.deviceId;
    const node = await connectReference({
      port,
      role: "node",
      mode: "node",
      clientName: "node-host",
      scopes: [],
      caps: ["system"],
      commands: ["echo.test", "sms.send"],
      deviceIdentity: device.deviceIdentity,
      hostDeps: device.hostDeps,
    });
    sessions.push(node);
    assert.ok(device.tokens.get("node")?.token, "the node was paired (silently, on direct loopback)");
    const requested = await operator.waitForEvent("node.pair.requested");
    await operator.request("node.pair.approve", { requestId: (requested.payload as { requestId: string }).requestId });
    const answer = operator.request<{ payload: unknown }>("node.invoke", {
      nodeId,
      command: "echo.test",
      idempotencyKey: "none-1",
      timeoutMs: 10_000,
    });
    const request = await node.waitForEvent("node.invoke.request");
    await node.request("node.invoke.result", {
      id: (request.payload as { id: string }).id,
      nodeId,
      ok: true,
      payload: 1,
    });
    assert.equal((await answer).payload, 1);
    await assert.rejects(
      operator.request("node.invoke", { nodeId, command: "sms.send", idempotencyKey: "none-2" }),
      /"sms.send" requires explicit gateway.nodes.commands.allow opt-in/,
    );
  } finally {
    for (const session of sessions) session.stop();
    await proc.stop();
    await home.cleanup();
  }
});
