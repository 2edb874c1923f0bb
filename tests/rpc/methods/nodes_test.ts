import assert from "node:assert/strict";
import { dispatch } from "../../../src/rpc/dispatch.ts";
import { nodeMethods } from "../../../src/rpc/methods/nodes.ts";
import { nodeSelfMethods } from "../../../src/rpc/methods/node_self.ts";
import { NodeRegistry } from "../../../src/rpc/node_registry.ts";
import type { CallerIdentity } from "../../../src/rpc/registry.ts";
import { ProtocolValidators } from "../../../src/rpc/validators.ts";
import { operatorCaller } from "../../support/rpc_caller.ts";
import { tempDeviceStore } from "../../support/temp_devices.ts";

const NODE_ID = "n".repeat(64);
const META = { deviceId: NODE_ID, publicKey: "pk", clientId: "node-host", clientMode: "node", platform: "linux" };

function harness() {
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
  const methods = nodeMethods({ devices, nodes, broadcast, closeDevice: () => {} });
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
