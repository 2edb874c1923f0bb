import assert from "node:assert/strict";
import {
  DEFAULT_NODE_INVOKE_TIMEOUT_MS,
  invokeTimeoutMs,
  MAX_NODE_INVOKE_TIMEOUT_MS,
  NodeRegistry,
} from "../../src/rpc/node_registry.ts";
import { tempDeviceStore } from "../support/temp_devices.ts";

const NODE_ID = "n".repeat(64);

function registry() {
  const sent: { connId: string; event: string; payload: Record<string, unknown> }[] = [];
  const nodes = new NodeRegistry({
    devices: tempDeviceStore(),
    sendTo: (connId, event, payload) => {
      sent.push({ connId, event, payload: payload as Record<string, unknown> });
      return true;
    },
    broadcast: () => {},
  });
  return { nodes, sent };
}

const session = {
  nodeId: NODE_ID,
  connId: "node-conn",
  clientId: "node-host",
  clientMode: "node",
  declared: { caps: [], commands: ["echo.test"] },
  connectedAtMs: 0,
};

Deno.test("invokeTimeoutMs: the default when none or not positive; whole ms; never above the reference's timer ceiling", () => {
  assert.equal(MAX_NODE_INVOKE_TIMEOUT_MS, 2_147_000_000);
  assert.equal(invokeTimeoutMs(undefined), DEFAULT_NODE_INVOKE_TIMEOUT_MS);
  assert.equal(invokeTimeoutMs(0), DEFAULT_NODE_INVOKE_TIMEOUT_MS);
  assert.equal(invokeTimeoutMs(Number.POSITIVE_INFINITY), DEFAULT_NODE_INVOKE_TIMEOUT_MS);
  assert.equal(invokeTimeoutMs(1500.7), 1500);
  assert.equal(invokeTimeoutMs(0.5), 1);
  assert.equal(invokeTimeoutMs(9_000_000_000_000), MAX_NODE_INVOKE_TIMEOUT_MS);
});

Deno.test("a huge timeoutMs is capped in the request the node sees, and the wait does not end at once", async () => {
  const { nodes, sent } = registry();
  await nodes.attach(session);
  const outcome = nodes.invoke({ nodeId: NODE_ID, command: "echo.test", timeoutMs: 9_000_000_000_000 });
  const request = sent.find((s) => s.event === "node.invoke.request")!;
  assert.equal(request.payload.timeoutMs, MAX_NODE_INVOKE_TIMEOUT_MS);
  // A timer beyond the platform's range would have fired at once as a timeout; this one waits.
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(nodes.waiting(NODE_ID, String(request.payload.id)));
  nodes.close();
  assert.equal((await outcome).error?.message, "gateway shutting down");
});

Deno.test("waits on a silent node end when the caller's connection closes, not at their timeout", async () => {
  const { nodes, sent } = registry();
  await nodes.attach(session);
  const waits = [1, 2, 3].map(() =>
    nodes.invoke({ nodeId: NODE_ID, command: "echo.test", timeoutMs: 600_000, callerConnId: "op-1" })
  );
  const other = nodes.invoke({ nodeId: NODE_ID, command: "echo.test", timeoutMs: 600_000, callerConnId: "op-2" });
  nodes.detach("op-1");
  for (const wait of waits) {
    assert.deepEqual(await wait, { ok: false, error: { code: "UNAVAILABLE", message: "caller disconnected" } });
  }
  const pending = sent.filter((s) => s.event === "node.invoke.request").map((s) => String(s.payload.id));
  assert.deepEqual(pending.map((id) => nodes.waiting(NODE_ID, id)), [false, false, false, true]);
  assert.ok(nodes.get(NODE_ID), "the node itself stays connected");
  nodes.detach("op-2");
  assert.equal((await other).error?.message, "caller disconnected");
});
