import assert from "node:assert/strict";
import type { DeviceStore } from "../../src/auth/device_store.ts";
import { dispatch } from "../../src/rpc/dispatch.ts";
import { deviceMethods } from "../../src/rpc/methods/devices.ts";
import { ProtocolValidators } from "../../src/rpc/validators.ts";
import { operatorCaller } from "../support/rpc_caller.ts";
import { tempDeviceStore } from "../support/temp_devices.ts";

const caller = operatorCaller;

async function request(devices: DeviceStore) {
  return (await devices.requests.file({
    deviceId: "d1",
    publicKey: "pk",
    platform: "web",
    clientId: "openclaw-control-ui",
    clientMode: "ui",
    role: "operator",
    scopes: ["operator.read"],
    remoteIp: "192.0.2.1",
    isRepair: false,
  })).request;
}

function harness() {
  const devices = tempDeviceStore();
  const events: { event: string; payload: Record<string, unknown> }[] = [];
  const closed: { deviceId: string; role?: string | undefined }[] = [];
  const methods = deviceMethods({
    devices,
    broadcast: (event, payload) => events.push({ event, payload: payload as Record<string, unknown> }),
    closeDevice: (deviceId, role) => closed.push({ deviceId, role }),
    connected: () => false,
  });
  // As the connection does: post-response tasks run once the handler's answer is out.
  const call = async (method: string, params: unknown, scopes = ["operator.pairing"], deviceId?: string) => {
    const after: (() => void)[] = [];
    const caller_ = { ...caller(scopes), deviceId };
    const answer = await methods[method]!.handler({
      params,
      caller: caller_,
      accept() {},
      afterResponse: (t) => after.push(t),
    });
    for (const task of after) task();
    return answer;
  };
  return { devices, events, closed, call };
}

const META = { deviceId: "d1", publicKey: "pk", clientId: "openclaw-control-ui", clientMode: "ui", platform: "web" };

Deno.test("device.pair.reject drops a pending request, says so to operators; an unknown id is refused in the reference's words", async () => {
  const { devices, events, call } = harness();
  const { requestId } = await request(devices);
  assert.deepEqual(await call("device.pair.reject", { requestId }), { requestId, deviceId: "d1" });
  assert.deepEqual(await devices.requests.list(), []);
  assert.equal(events[0]?.event, "device.pair.resolved");
  assert.equal(events[0]?.payload.decision, "rejected");
  await assert.rejects(call("device.pair.approve", { requestId }), { message: "unknown requestId" });
});

Deno.test("device.pair.approve pairs within the approver's scopes; remove is the operator's or the device's own and closes it; list shows no token", async () => {
  const { devices, events, closed, call } = harness();
  const { requestId } = await request(devices);
  // operator.read is within operator.write's reach: a pairing+write approver may grant it.
  await call("device.pair.approve", { requestId }, ["operator.pairing", "operator.write"]);
  assert.equal(events.at(-1)?.payload.decision, "approved");
  const { token } = await devices.pair(META, { role: "operator", scopes: ["operator.read"] });
  const listed = await call("device.pair.list", {}) as { paired: Record<string, unknown>[] };
  assert.equal(listed.paired.length, 1);
  assert.equal(listed.paired[0]!.approvedVia, "operator");
  assert.deepEqual(listed.paired[0]!.roles, ["operator"]);
  assert.ok(!JSON.stringify(listed).includes(token), "token values never leave the store");
  // Another paired device without admin may not remove it (the reference's words); the operator's shared-token
  // connection (no device identity, as `openclaw devices remove` connects) may, with pairing alone.
  await assert.rejects(
    call("device.pair.remove", { deviceId: "d1" }, ["operator.pairing"], "d2"),
    /^RpcError: device pairing removal denied$|device pairing removal denied/,
  );
  await call("device.pair.remove", { deviceId: "d1" });
  assert.equal(await devices.get("d1"), undefined);
  await new Promise((resolve) => queueMicrotask(() => resolve(undefined)));
  assert.deepEqual(closed, [{ deviceId: "d1", role: undefined }]);
});

Deno.test("device.token.rotate issues a new token (shown only to the device itself); revoke refuses the old one and closes it", async () => {
  const { devices, closed, call } = harness();
  const first = await devices.pair(META, { role: "operator", scopes: ["operator.read"] });
  const other = await call("device.token.rotate", { deviceId: "d1", role: "operator" }, ["operator.admin"]) as Record<
    string,
    unknown
  >;
  assert.equal(other.tokenDelivery, "withheld-cross-device");
  assert.equal(other.token, undefined);
  assert.equal(await devices.verifyToken("d1", first.token), undefined, "the old token no longer works");
  const own = await call("device.token.rotate", { deviceId: "d1", role: "operator" }, [
    "operator.pairing",
    "operator.read",
  ], "d1") as {
    token: string;
    scopes: string[];
  };
  assert.deepEqual(await devices.verifyToken("d1", own.token), ["operator.read"]);
  await assert.rejects(
    call("device.token.rotate", { deviceId: "d1", role: "operator", scopes: ["operator.admin"] }, ["operator.admin"]),
    /missing scope: operator.admin/,
    "never beyond what the device was approved for",
  );
  await call("device.token.revoke", { deviceId: "d1", role: "operator" }, ["operator.admin"]);
  assert.equal(await devices.verifyToken("d1", own.token), undefined);
  await new Promise((resolve) => queueMicrotask(() => resolve(undefined)));
  assert.deepEqual(closed, [{ deviceId: "d1", role: "operator" }]);
});

Deno.test("device.pair.rename sets the operator label shown in the list and tells operators", async () => {
  const { devices, events, call } = harness();
  await devices.pair(META, { role: "operator", scopes: [] });
  assert.deepEqual(await call("device.pair.rename", { deviceId: "d1", label: "Kitchen iPad" }), {
    deviceId: "d1",
    label: "Kitchen iPad",
  });
  assert.equal((await devices.get("d1"))?.operatorLabel, "Kitchen iPad");
  assert.deepEqual(events.at(-1), { event: "device.pair.changed", payload: {} });
  await assert.rejects(call("device.pair.rename", { deviceId: "nope", label: "x" }), /unknown deviceId/);
});

Deno.test("a device removing itself or revoking its own token is closed only after its answer is sent", async () => {
  for (const method of ["device.token.revoke", "device.pair.remove"]) {
    const devices = tempDeviceStore();
    await devices.pair(META, { role: "operator", scopes: ["operator.pairing"] });
    const order: string[] = [];
    const methods = deviceMethods({
      devices,
      broadcast: () => {},
      closeDevice: () => order.push("closed"),
      connected: () => true,
    });
    const params = method === "device.pair.remove" ? { deviceId: "d1" } : { deviceId: "d1", role: "operator" };
    const own = { ...caller(["operator.pairing"]), deviceId: "d1" };
    const deps = { methods, validators: new ProtocolValidators(), onUnexpected: () => {} };
    // With the connection's hook: the task waits for the response frame.
    const tasks: (() => void)[] = [];
    const hooked = await dispatch(deps, { method, params, caller: own, afterResponse: (task) => tasks.push(task) });
    assert.ok(hooked.ok, method);
    await Promise.resolve();
    assert.equal(order.length, 0, `${method}: nothing closed before the response`);
    order.push("response sent");
    for (const task of tasks) task();
    assert.deepEqual(order, ["response sent", "closed"], method);
    // Without one (a direct dispatch), the close still comes after dispatch returns, in a later macrotask.
    await devices.pair(META, { role: "operator", scopes: ["operator.pairing"] });
    order.length = 0;
    const bare = await dispatch(deps, { method, params, caller: own });
    order.push(`response sent (ok=${bare.ok})`);
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.deepEqual(order, ["response sent (ok=true)", "closed"], method);
  }
});

Deno.test("device.pair.remove by a paired device: itself while it is only an operator; a node's pairing needs admin", async () => {
  const { devices, call } = harness();
  await devices.pair(META, { role: "node", scopes: [] });
  await assert.rejects(
    call("device.pair.remove", { deviceId: "d1" }, ["operator.pairing"], "d1"),
    /device pairing removal denied/,
  );
  await call("device.pair.remove", { deviceId: "d1" }, ["operator.admin"], "d2");
  assert.equal(await devices.get("d1"), undefined);
  await devices.pair(META, { role: "operator", scopes: ["operator.pairing"] });
  await call("device.pair.remove", { deviceId: "d1" }, ["operator.pairing"], "d1");
  assert.equal(await devices.get("d1"), undefined);
  await assert.rejects(call("device.pair.remove", { deviceId: "nope" }), /unknown deviceId/);
});
