import assert from "node:assert/strict";
import { dispatch } from "../../../src/rpc/dispatch.ts";
import { nodeMethods } from "../../../src/rpc/methods/nodes.ts";
import { nodeSelfMethods } from "../../../src/rpc/methods/node_self.ts";
import type { NodeCommandConfig } from "../../../src/rpc/node_command_policy.ts";
import { NodeRegistry } from "../../../src/rpc/node_registry.ts";
import type { CallerIdentity } from "../../../src/rpc/registry.ts";
import { ProtocolValidators } from "../../../src/rpc/validators.ts";
import { operatorCaller } from "../../support/rpc_caller.ts";
import { tempDeviceStore } from "../../support/temp_devices.ts";

const NODE_ID = "n".repeat(64);
const META = { deviceId: NODE_ID, publicKey: "pk", clientId: "node-host", clientMode: "node", platform: "linux" };

function harness(commandConfig?: NodeCommandConfig) {
  const devices = tempDeviceStore();
  const events: { event: string; payload: Record<string, unknown> }[] = [];
  const sent: { connId: string; event: string; payload: Record<string, unknown> }[] = [];
  const broadcast = (event: string, payload: unknown) =>
    events.push({ event, payload: payload as Record<string, unknown> });
  const nodes = new NodeRegistry({
    devices,
    sendTo: (connId, event, payload) => {
      sent.push({ connId, event, payload: payload as Record<string, unknown> });
      return true;
    },
    broadcast,
  });
  const methods = nodeMethods({
    devices,
    nodes,
    broadcast,
    closeDevice: () => {},
    ...(commandConfig ? { commandConfig: () => commandConfig } : {}),
  });
  const deps = {
    methods,
    validators: new ProtocolValidators(),
    onUnexpected: (_: string, e: unknown) => assert.fail(String(e)),
  };
  const nodeCaller: CallerIdentity = {
    connId: "node-conn",
    role: "node",
    deviceId: NODE_ID,
    scopes: [],
    clientId: "node-host",
    clientMode: "node",
    remoteAddr: "127.0.0.1",
  };
  const call = (method: string, params: unknown, caller: CallerIdentity = operatorCaller(["operator.admin"])) =>
    dispatch(deps, { method, params, caller });
  const attach = (commands: string[]) =>
    nodes.attach({
      nodeId: NODE_ID,
      connId: "node-conn",
      displayName: "sim",
      platform: "linux",
      version: "1",
      clientId: "node-host",
      clientMode: "node",
      declared: { caps: ["system"], commands },
      connectedAtMs: Date.now(),
    });
  return { devices, nodes, events, sent, call, attach, nodeCaller };
}

Deno.test("a node's declared surface waits for node.pair.approve; until then node.invoke refuses its commands", async () => {
  const h = harness();
  await h.devices.pair(META, { role: "node", scopes: [] });
  await h.attach(["echo.test"]);
  const requested = h.events.find((e) => e.event === "node.pair.requested");
  assert.ok(requested, "operators hear of the new surface");
  assert.deepEqual(requested.payload.commands, ["echo.test"]);
  const listed = await h.call("node.list", {});
  assert.ok(listed.ok);
  const entry = (listed.payload as { nodes: Record<string, unknown>[] }).nodes[0]!;
  assert.equal(entry.approvalState, "pending-approval");
  assert.deepEqual(entry.commands, []);
  assert.equal(entry.connected, true);
  const refused = await h.call("node.invoke", { nodeId: NODE_ID, command: "echo.test", idempotencyKey: "k" });
  assert.ok(!refused.ok);
  assert.match(refused.error.message, /pending approval/);
  const approved = await h.call("node.pair.approve", { requestId: requested.payload.requestId });
  assert.ok(approved.ok);
  assert.equal(h.events.at(-1)?.event, "node.pair.resolved");
  const pairList = await h.call("node.pair.list", {});
  assert.ok(pairList.ok);
  assert.deepEqual((pairList.payload as { pending: unknown[] }).pending, []);
});

Deno.test("node.invoke relays node.invoke.request to the node and answers with its node.invoke.result", async () => {
  const h = harness();
  await h.devices.pair(META, { role: "node", scopes: [] });
  await h.attach(["echo.test"]);
  await h.call("node.pair.approve", { requestId: h.events[0]!.payload.requestId });
  const answer = h.call("node.invoke", {
    nodeId: NODE_ID,
    command: "echo.test",
    params: { text: "hi" },
    idempotencyKey: "k1",
    timeoutMs: 5000,
  });
  await new Promise((resolve) => setTimeout(resolve, 0));
  const request = h.sent.find((s) => s.event === "node.invoke.request");
  assert.ok(request, "the node got the request");
  assert.equal(request.connId, "node-conn");
  assert.equal(request.payload.paramsJSON, JSON.stringify({ text: "hi" }));
  const operatorTry = await h.call("node.invoke.result", { id: request.payload.id, nodeId: NODE_ID, ok: true });
  assert.ok(!operatorTry.ok);
  assert.equal(operatorTry.error.message, "unauthorized role: operator");
  const ack = await h.call(
    "node.invoke.result",
    { id: request.payload.id, nodeId: NODE_ID, ok: true, payload: { echoed: "hi" } },
    h.nodeCaller,
  );
  assert.ok(ack.ok);
  const result = await answer;
  assert.ok(result.ok);
  assert.deepEqual(result.payload, {
    ok: true,
    nodeId: NODE_ID,
    command: "echo.test",
    payload: { echoed: "hi" },
    payloadJSON: null,
  });
  const nodeTriesOperatorMethod = await h.call("node.list", {}, h.nodeCaller);
  assert.ok(!nodeTriesOperatorMethod.ok);
  assert.equal(nodeTriesOperatorMethod.error.message, "unauthorized role: node");
});

Deno.test("node.invoke times out when the node never answers, and fails at once for a node not connected", async () => {
  const h = harness();
  await h.devices.pair(META, { role: "node", scopes: [] });
  await h.attach(["echo.test"]);
  await h.call("node.pair.approve", { requestId: h.events[0]!.payload.requestId });
  const slow = await h.call("node.invoke", {
    nodeId: NODE_ID,
    command: "echo.test",
    idempotencyKey: "k",
    timeoutMs: 20,
  });
  assert.ok(!slow.ok);
  assert.equal(slow.error.message, "node invoke timed out");
  h.nodes.detach("node-conn");
  const gone = await h.call("node.invoke", { nodeId: NODE_ID, command: "echo.test", idempotencyKey: "k" });
  assert.ok(!gone.ok);
  assert.equal(gone.error.code, "UNAVAILABLE");
  assert.equal(gone.error.message, "node not connected");
});

Deno.test("a node connected twice stays reachable when its newer connection closes", async () => {
  const h = harness();
  await h.devices.pair(META, { role: "node", scopes: [] });
  await h.attach(["echo.test"]);
  await h.nodes.attach({ ...h.nodes.get(NODE_ID)!, connId: "second-conn" });
  assert.equal(h.nodes.get(NODE_ID)?.connId, "second-conn", "invocations go to the newest connection");
  h.nodes.detach("second-conn");
  assert.equal(h.nodes.get(NODE_ID)?.connId, "node-conn");
  assert.equal(h.nodes.list().length, 1);
  h.nodes.detach("node-conn");
  assert.equal(h.nodes.get(NODE_ID), undefined);
});

Deno.test("a node publishes its tools (shown by node.list) and finds its pending-work queue empty; operators cannot call these", async () => {
  const h = harness();
  const self = nodeSelfMethods({ nodes: h.nodes });
  const deps = {
    methods: self,
    validators: new ProtocolValidators(),
    onUnexpected: (_: string, e: unknown) => assert.fail(String(e)),
  };
  const call = (method: string, params: unknown, caller: CallerIdentity = h.nodeCaller) =>
    dispatch(deps, { method, params, caller });
  await h.devices.pair(META, { role: "node", scopes: [] });
  await h.attach(["echo.test"]);
  await h.call("node.pair.approve", { requestId: h.events[0]!.payload.requestId });
  const tool = { pluginId: "p", name: "lookup", description: "Looks things up" };
  const published = await call("node.pluginTools.update", { tools: [tool] });
  assert.ok(published.ok);
  assert.deepEqual(published.payload, { nodeId: NODE_ID, tools: [tool] });
  const listed = await h.call("node.list", {});
  assert.ok(listed.ok);
  assert.deepEqual((listed.payload as { nodes: { nodePluginTools: unknown[] }[] }).nodes[0]!.nodePluginTools, [tool]);
  assert.deepEqual((await call("node.pending.drain", {})).ok && (await call("node.pending.drain", {})), {
    ok: true,
    payload: { nodeId: NODE_ID, revision: 0, items: [], hasMore: false },
  });
  const progress = await call("node.invoke.progress", { invokeId: "nope", nodeId: NODE_ID, seq: 0, chunk: "x" });
  assert.deepEqual(progress.ok && progress.payload, { ok: true, ignored: true });
  const operator = await call("skills.bins", {}, operatorCaller(["operator.admin"]));
  assert.ok(!operator.ok);
  assert.equal(operator.error.message, "unauthorized role: operator");
});

/** Pairs the node, attaches it with these commands and approves the surface as an admin. */
async function approvedNode(h: ReturnType<typeof harness>, commands: string[]) {
  await h.devices.pair(META, { role: "node", scopes: [] });
  await h.attach(commands);
  const requested = h.events.find((e) => e.event === "node.pair.requested")!;
  const approved = await h.call("node.pair.approve", { requestId: requested.payload.requestId });
  assert.ok(approved.ok);
  return requested;
}

Deno.test("approving a surface with the reference's admin-approval commands needs operator.admin, and says so", async () => {
  for (const command of ["browser.proxy", "fs.listDir", "terminal.upload", "system.run", "system.execApprovals.set"]) {
    const h = harness();
    await h.devices.pair(META, { role: "node", scopes: [] });
    await h.attach(["echo.test", command]);
    const requested = h.events.find((e) => e.event === "node.pair.requested")!;
    assert.deepEqual(requested.payload.requiredApproveScopes, ["operator.pairing", "operator.admin"], command);
    const writer = await h.call(
      "node.pair.approve",
      { requestId: requested.payload.requestId },
      operatorCaller(["operator.pairing", "operator.write"]),
    );
    assert.ok(!writer.ok, command);
    assert.equal(writer.error.message, "missing scope: operator.admin");
    const admin = await h.call("node.pair.approve", { requestId: requested.payload.requestId });
    assert.ok(admin.ok, command);
  }
});

Deno.test("node.invoke of the reference's admin-only commands refuses a write-only operator before reaching the node", async () => {
  const h = harness();
  const commands = ["browser.proxy", "browser.proxy.upload.v1", "fs.listDir", "terminal.upload"];
  await approvedNode(h, commands);
  for (const command of commands) {
    const r = await h.call(
      "node.invoke",
      { nodeId: NODE_ID, command, idempotencyKey: "k" },
      operatorCaller(["operator.write"]),
    );
    assert.ok(!r.ok, command);
    assert.equal(r.error.code, "FORBIDDEN");
    assert.equal(r.error.message, "missing scope: operator.admin");
  }
  assert.deepEqual(h.sent.filter((s) => s.event === "node.invoke.request"), []);
});

Deno.test("node.invoke never forwards private worker controls or the exec-approval store, even to an admin", async () => {
  const h = harness();
  await approvedNode(h, ["worker.workspace.exec.v1", "system.execApprovals.get", "echo.test"]);
  const requested = h.events.find((e) => e.event === "node.pair.requested")!;
  assert.deepEqual(
    requested.payload.commands,
    ["system.execApprovals.get", "echo.test"],
    "private controls are never filed",
  );
  const privateTry = await h.call("node.invoke", {
    nodeId: NODE_ID,
    command: "worker.workspace.exec.v1",
    idempotencyKey: "k",
  });
  assert.ok(!privateTry.ok);
  assert.equal(privateTry.error.message, "node.invoke does not allow private node controls");
  const approvals = await h.call("node.invoke", {
    nodeId: NODE_ID,
    command: "system.execApprovals.get",
    idempotencyKey: "k",
  });
  assert.ok(!approvals.ok);
  assert.equal(approvals.error.message, "node.invoke does not allow system.execApprovals.*; use exec.approvals.node.*");
  assert.deepEqual(h.sent.filter((s) => s.event === "node.invoke.request"), []);
});

Deno.test("dangerous node commands need gateway.nodes.commands.allow; gateway.nodes.commands.deny refuses any", async () => {
  const blocked = harness();
  await approvedNode(blocked, ["sms.send", "camera.snap"]);
  const sms = await blocked.call("node.invoke", { nodeId: NODE_ID, command: "sms.send", idempotencyKey: "k" });
  assert.ok(!sms.ok);
  assert.equal(
    sms.error.message,
    'node command not allowed: "sms.send" requires explicit gateway.nodes.commands.allow opt-in',
  );
  assert.deepEqual(sms.error.details, { reason: "command not allowlisted", command: "sms.send" });
  assert.deepEqual(blocked.sent.filter((s) => s.event === "node.invoke.request"), []);

  const allowed = harness({ allow: ["sms.send"], deny: ["echo.test"] });
  await approvedNode(allowed, ["sms.send", "camera.snap", "echo.test"]);
  const invoked = allowed.call("node.invoke", {
    nodeId: NODE_ID,
    command: "sms.send",
    idempotencyKey: "k",
    timeoutMs: 5000,
  });
  await new Promise((resolve) => setTimeout(resolve, 0));
  const request = allowed.sent.find((s) => s.event === "node.invoke.request");
  assert.equal(request?.payload.command, "sms.send", "an allowed dangerous command reaches the node");
  allowed.nodes.result(NODE_ID, String(request!.payload.id), { ok: true });
  assert.ok((await invoked).ok);
  const camera = await allowed.call("node.invoke", { nodeId: NODE_ID, command: "camera.snap", idempotencyKey: "k" });
  assert.ok(!camera.ok, "allowing one dangerous command allows no other");
  const denied = await allowed.call("node.invoke", { nodeId: NODE_ID, command: "echo.test", idempotencyKey: "k" });
  assert.ok(!denied.ok);
  assert.equal(denied.error.message, 'node command not allowed: "echo.test" is blocked by gateway.nodes.commands.deny');
});

Deno.test("a node's surface check and an operator's rename of it, at once, both land on the device row", async () => {
  const h = harness();
  await h.devices.pair(META, { role: "node", scopes: [] });
  // The rename lands while the surface check is between its read and its write.
  await Promise.all([h.attach(["echo.test"]), h.devices.rename(NODE_ID, "Kitchen")]);
  const device = (await h.devices.get(NODE_ID))!;
  assert.equal(device.operatorLabel, "Kitchen");
  assert.deepEqual(device.pendingNodeSurface?.commands, ["echo.test"]);
});

Deno.test("node.pair.approve stores the approved surface as the reference does, keeping what the earlier approval held", async () => {
  const h = harness();
  await h.devices.pair(META, { role: "node", scopes: [] });
  const earlier = { displayName: "First name", caps: [], commands: [], bins: ["git"], createdAtMs: 5, approvedAtMs: 8 };
  const device = (await h.devices.get(NODE_ID))!;
  await h.devices.save({
    ...device,
    nodeSurface: earlier,
    pendingNodeSurface: {
      requestId: "req-1",
      displayName: "New name",
      version: "2.0",
      coreVersion: "core-2",
      uiVersion: "ui-2",
      modelIdentifier: "Mac15,3",
      caps: ["system"],
      commands: ["echo.test"],
      permissions: { screen: true },
      ts: 9,
    },
  });
  const approved = await h.call("node.pair.approve", { requestId: "req-1" });
  assert.ok(approved.ok);
  const surface = (await h.devices.get(NODE_ID))!.nodeSurface!;
  const { approvedAtMs, ...rest } = surface;
  assert.deepEqual(rest, {
    displayName: "First name",
    version: "2.0",
    coreVersion: "core-2",
    uiVersion: "ui-2",
    modelIdentifier: "Mac15,3",
    caps: ["system"],
    commands: ["echo.test"],
    permissions: { screen: true },
    bins: ["git"],
    createdAtMs: 5,
  });
  assert.ok(typeof approvedAtMs === "number" && approvedAtMs > 8);
  assert.equal((await h.devices.get(NODE_ID))!.pendingNodeSurface, undefined);
  const again = await h.call("node.pair.approve", { requestId: "req-1" });
  assert.ok(!again.ok);
  assert.equal(again.error.message, "unknown requestId");
});
