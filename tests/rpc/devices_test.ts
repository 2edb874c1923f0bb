import assert from "node:assert/strict";
import { DeviceStore } from "../../src/auth/device_store.ts";
import { deviceMethods } from "../../src/rpc/methods/devices.ts";
import { operatorCaller } from "../support/rpc_caller.ts";

const caller = operatorCaller;

function request(devices: DeviceStore) {
  return devices.requests.file({
    deviceId: "d1",
    publicKey: "pk",
    platform: "web",
    clientId: "openclaw-control-ui",
    clientMode: "ui",
    scopes: ["operator.read"],
    remoteIp: "192.0.2.1",
    isRepair: false,
  });
}

Deno.test("device.pair.reject drops a pending request; an unknown id says how to find the current one", async () => {
  const devices = new DeviceStore(await Deno.makeTempDir());
  const methods = deviceMethods({ devices });
  const { requestId } = request(devices);
  const call = (method: string, params: unknown, scopes = ["operator.pairing"]) =>
    Promise.resolve(methods[method]!.handler({ params, caller: caller(scopes), accept() {} }));
  assert.deepEqual(await call("device.pair.reject", { requestId }), { requestId, deviceId: "d1" });
  assert.deepEqual(devices.requests.list(), []);
  await assert.rejects(call("device.pair.approve", { requestId }), /unknown requestId: .*openclaw devices list/);
});

Deno.test("device.pair.approve pairs within the approver's scopes; remove needs admin; list shows no token hashes", async () => {
  const devices = new DeviceStore(await Deno.makeTempDir());
  const methods = deviceMethods({ devices });
  const call = (method: string, params: unknown, scopes: string[]) =>
    Promise.resolve(methods[method]!.handler({ params, caller: caller(scopes), accept() {} }));
  const { requestId } = request(devices);
  // operator.read is within operator.write's reach: a pairing+write approver may grant it.
  await call("device.pair.approve", { requestId }, ["operator.pairing", "operator.write"]);
  await devices.pair({
    deviceId: "d1",
    publicKey: "pk",
    clientId: "openclaw-control-ui",
    clientMode: "ui",
    platform: "web",
    scopes: ["operator.read"],
  });
  const listed = await call("device.pair.list", {}, ["operator.pairing"]) as { paired: Record<string, unknown>[] };
  assert.equal(listed.paired.length, 1);
  assert.equal(listed.paired[0]!.approvedVia, "operator");
  assert.doesNotMatch(JSON.stringify(listed), /tokenHash/);
  await assert.rejects(
    call("device.pair.remove", { deviceId: "d1" }, ["operator.pairing"]),
    /missing scope: operator.admin/,
  );
  await call("device.pair.remove", { deviceId: "d1" }, ["operator.admin"]);
  assert.equal(await devices.get("d1"), undefined);
});
